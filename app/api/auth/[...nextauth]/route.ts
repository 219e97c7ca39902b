import { randomUUID } from "node:crypto";
import { NextRequest } from "next/server";
import { handlers } from "@/server/auth/next-auth";
import { env } from "@/server/env";
import { toHttpError } from "@/server/api/http-errors";
import { readBodyLimited } from "@/server/http/body";

export const { GET } = handlers;

/** Sign-in and sign-out posts read within the one body limit, like every other route. */
export async function POST(req: NextRequest): Promise<Response> {
  let body: string;
  try {
    body = await readBodyLimited(req, env().REQUEST_MAX_BYTES);
  } catch (e) {
    const h = toHttpError(e, randomUUID());
    return Response.json(h.body, { status: h.status });
  }
  return handlers.POST(new NextRequest(req.url, { method: "POST", headers: req.headers, body, signal: req.signal }));
}
