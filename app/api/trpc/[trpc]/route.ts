import { randomUUID } from "node:crypto";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter } from "@/server/trpc/root";
import { TRPC_MAX_BATCH, createInnerContext } from "@/server/trpc/init";
import { getDb } from "@/server/db";
import { env } from "@/server/env";
import { principalFromRequest } from "@/server/auth/request-principal";
import { toHttpError } from "@/server/api/http-errors";
import { readBodyLimited } from "@/server/http/body";
import { assertSameOriginPost } from "@/server/http/csrf";

export const dynamic = "force-dynamic";

const handler = async (req: Request) => {
  const requestId = randomUUID();
  let request = req;
  try {
    assertSameOriginPost(req, env().APP_URL);
    // The body is read here, within the one limit, before tRPC parses it.
    if (req.method === "POST")
      request = new Request(req.url, {
        method: "POST",
        headers: req.headers,
        body: await readBodyLimited(req, env().REQUEST_MAX_BYTES),
        signal: req.signal,
      });
  } catch (e) {
    const h = toHttpError(e, requestId);
    return Response.json(
      { error: { message: h.body.error.message, code: h.body.error.code, data: { httpStatus: h.status, requestId } } },
      { status: h.status, headers: { "x-request-id": requestId } },
    );
  }
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req: request,
    router: appRouter,
    maxBatchSize: TRPC_MAX_BATCH,
    createContext: async () => {
      const db = getDb();
      return createInnerContext(db, await principalFromRequest(req, { prisma: db }), requestId);
    },
  });
};

export { handler as GET, handler as POST };
