import type pg from "pg";
import { z } from "zod";
import { MonthSchema } from "@/domain/analytics/period";
import { AppError } from "@/domain/errors";
import type { Db } from "@/server/db";
import { loadMonthlyReport } from "./data";
import { REPORT_FORMATS, renderReport, type ReportFormat } from "./render";
import type { ReportStorage } from "./storage";

export const REPORT_KINDS = ["monthly"] as const;
export const ReportParamsSchema = z.object({
  month: MonthSchema,
  pointIds: z.array(z.number().int().positive()).max(5000).optional(),
  /** Email the file to the client's recipients once generated (scheduled monthly delivery). */
  deliver: z.boolean().optional(),
});

export interface ReportDeps {
  db: Db;
  pool: pg.Pool;
  storage: ReportStorage;
  now: () => Date;
}

const slug = (s: string) =>
  s
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, 60) || "cliente";

/**
 * Builds one ReportJob's file: loads the month from the rollups and dga_slot, renders it in the job's
 * format and puts the bytes in the report storage. Progress goes to ReportJob.progress (and to the
 * caller, e.g. BullMQ). A job already done with its file stored is not rebuilt.
 */
export async function generateReport(
  deps: ReportDeps,
  reportId: number,
  onProgress: (pct: number) => Promise<void> = async () => {},
): Promise<{ fileName: string; bytes: number }> {
  const job = await deps.db.reportJob.findUnique({
    where: { id: reportId },
    include: { client: { select: { name: true } } },
  });
  if (!job) throw new AppError("NOT_FOUND", `Reporte ${reportId} no existe`);
  if (job.status === "done" && job.fileName) {
    const stored = await deps.storage.sizeBytes(reportId);
    if (stored !== null) return { fileName: job.fileName, bytes: stored };
  }
  const format = job.format as ReportFormat;
  if (!REPORT_FORMATS.includes(format)) throw new AppError("BAD_INPUT", `Formato desconocido: ${job.format}`);
  const params = ReportParamsSchema.safeParse(job.params);
  if (!params.success) throw new AppError("BAD_INPUT", "Parámetros del reporte inválidos");
  const progress = async (pct: number) => {
    await deps.db.reportJob.update({ where: { id: reportId }, data: { progress: Math.round(pct) } });
    await onProgress(Math.round(pct));
  };
  try {
    await deps.db.reportJob.update({ where: { id: reportId }, data: { status: "running", progress: 1, error: null } });
    const data = await loadMonthlyReport(
      deps.pool,
      { clientId: job.clientId, month: params.data.month, pointIds: params.data.pointIds, now: deps.now() },
      progress,
    );
    await progress(65);
    const file = renderReport(data, format);
    await progress(90);
    const fileName = `informe-${slug(job.client.name)}-${params.data.month}.${format}`;
    await deps.storage.put(reportId, file);
    await deps.db.reportJob.update({
      where: { id: reportId },
      data: { status: "done", progress: 100, fileName, finishedAt: deps.now() },
    });
    await onProgress(100);
    return { fileName, bytes: file.length };
  } catch (e) {
    await deps.db.reportJob.update({
      where: { id: reportId },
      data: { status: "failed", error: e instanceof Error ? e.message.slice(0, 500) : "error" },
    });
    throw e;
  }
}
