import { randomUUID } from "node:crypto";
import { AppError } from "@/domain/errors";
import { getDb } from "@/server/db";
import { principalFromRequest } from "@/server/auth/request-principal";
import { json } from "@/server/api/rest";
import { toHttpError } from "@/server/api/http-errors";
import { reportFileResponse } from "@/server/reports/download";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

/** Downloads a finished report file for a portal session or a Bearer token / API key. */
export async function GET(req: Request, { params }: Ctx): Promise<Response> {
  const requestId = req.headers.get("x-request-id") ?? randomUUID();
  try {
    const db = getDb();
    const principal = await principalFromRequest(req, { prisma: db });
    if (!principal)
      throw new AppError("UNAUTHENTICATED", "Falta un token válido (Authorization: Bearer <token o clave de API>)");
    const { id } = await params;
    return await reportFileResponse(db, principal, id, requestId);
  } catch (e) {
    const h = toHttpError(e, requestId);
    return json(h.status, h.body, { ...h.headers, "x-request-id": requestId });
  }
}
