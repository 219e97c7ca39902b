import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { Readable } from "node:stream";
import { randomUUID } from "node:crypto";
import { AppError } from "@/domain/errors";
import { getDb } from "@/server/db";
import { principalForRequest } from "@/server/auth/request-principal";
import { runOperation } from "@/server/api/run-operation";
import { getReport } from "@/server/api/operations/reports";
import { json } from "@/server/api/rest";
import { toHttpError } from "@/server/api/http-errors";
import { CONTENT_TYPES, type ReportFormat } from "@/server/reports/render";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

/** Streams a finished report file; the tenant and scope check is reports.get's, via runOperation. */
export async function GET(req: Request, { params }: Ctx): Promise<Response> {
  const requestId = req.headers.get("x-request-id") ?? randomUUID();
  try {
    const db = getDb();
    const principal = await principalForRequest(db, req);
    if (!principal) throw new AppError("UNAUTHENTICATED", "Falta un token válido (Authorization: Bearer <token o clave de API>)");
    const { id } = await params;
    const report = (await runOperation(getReport, db, principal, { id }, requestId)) as { id: number; status: string };
    const row = await db.reportJob.findUnique({ where: { id: report.id }, select: { filePath: true, fileName: true, format: true } });
    if (report.status !== "done" || !row?.filePath || !row.fileName) throw new AppError("CONFLICT", "El reporte aún no está listo");
    const s = await stat(row.filePath).catch(() => null);
    if (!s) throw new AppError("NOT_FOUND", "El archivo del reporte ya no existe");
    const body = Readable.toWeb(createReadStream(row.filePath)) as ReadableStream<Uint8Array>;
    return new Response(body, {
      headers: {
        "content-type": CONTENT_TYPES[row.format as ReportFormat] ?? "application/octet-stream",
        "content-length": String(s.size),
        "content-disposition": `attachment; filename="${row.fileName.replace(/[^\x20-\x7e]/g, "_")}"; filename*=UTF-8''${encodeURIComponent(row.fileName)}`,
        "cache-control": "private, no-store",
        "x-request-id": requestId,
      },
    });
  } catch (e) {
    const h = toHttpError(e, requestId);
    return json(h.status, h.body, { ...h.headers, "x-request-id": requestId });
  }
}
