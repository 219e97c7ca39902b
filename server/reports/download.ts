import { AppError } from "@/domain/errors";
import type { Principal } from "@/domain/auth/permissions";
import type { Db } from "@/server/db";
import { runOperation } from "@/server/api/run-operation";
import { operations } from "@/server/api/operations";
import { CONTENT_TYPES, type ReportFormat } from "./render";
import { pgReportStorage } from "./storage";

/**
 * A finished report as a download, read from the report storage (any web replica can answer). The tenant and
 * scope check is reports.get's, via runOperation; errors are AppErrors for the route to map.
 */
export async function reportFileResponse(
  db: Db,
  principal: Principal,
  id: string,
  requestId: string,
): Promise<Response> {
  const report = (await runOperation(operations.reports.get, db, principal, { id }, requestId)) as {
    id: number;
    status: string;
  };
  const row = await db.reportJob.findUnique({ where: { id: report.id }, select: { fileName: true, format: true } });
  if (report.status !== "done" || !row?.fileName) throw new AppError("CONFLICT", "El reporte aún no está listo");
  const content = await pgReportStorage(db).get(report.id);
  if (!content) throw new AppError("NOT_FOUND", "El archivo del reporte ya no existe; genérelo de nuevo");
  return new Response(new Uint8Array(content), {
    headers: {
      "content-type": CONTENT_TYPES[row.format as ReportFormat] ?? "application/octet-stream",
      "content-length": String(content.length),
      "content-disposition": `attachment; filename="${row.fileName.replace(/[^\x20-\x7e]/g, "_")}"; filename*=UTF-8''${encodeURIComponent(row.fileName)}`,
      "cache-control": "private, no-store",
      "x-request-id": requestId,
    },
  });
}
