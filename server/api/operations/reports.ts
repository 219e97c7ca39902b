import { z } from "zod";
import { defineOperation, recordTenant } from "../operation";
import { AppError } from "@/domain/errors";
import { IdSchema, PageSchema } from "@/domain/schemas/common";
import { MonthSchema } from "@/domain/analytics/period";
import type { Db } from "@/server/db";
import { enqueueReport } from "@/server/reports/jobs";
import { callerKey, consumeOrThrow, limiters } from "@/server/security/limiters";
import { REPORT_KINDS } from "@/server/reports/generate";
import { REPORT_FORMATS } from "@/server/reports/render";

const reportTenant = recordTenant(
  async (db: Db, i: { id: number }) =>
    (await db.reportJob.findUnique({ where: { id: i.id }, select: { clientId: true } }))?.clientId ?? null,
);

const select = {
  id: true,
  clientId: true,
  kind: true,
  format: true,
  params: true,
  status: true,
  progress: true,
  fileName: true,
  error: true,
  createdById: true,
  createdAt: true,
  finishedAt: true,
} as const;
type Row = { id: number; status: string; fileName: string | null };
const withUrl = <T extends Row>(r: T) => ({
  ...r,
  downloadUrl: r.status === "done" && r.fileName ? `/api/v1/analytics/reports/${r.id}/file` : null,
});

export const createReport = defineOperation({
  name: "reports.create",
  summary: "Generar un reporte mensual (CSV, XLSX o PDF); devuelve su id",
  kind: "mutation",
  scope: "reports:create",
  tenant: { kind: "client" },
  module: "reports",
  input: z.object({
    clientId: IdSchema,
    kind: z.enum(REPORT_KINDS).default("monthly"),
    format: z.enum(REPORT_FORMATS).default("pdf"),
    month: MonthSchema,
    pointIds: z.array(IdSchema).max(5000).optional(),
  }),
  rest: { method: "POST", path: "/analytics/reports", status: 201 },
  handler: async ({ db, principal, audit }, i) => {
    await consumeOrThrow(
      limiters().reports,
      callerKey(principal),
      "Demasiados reportes solicitados en la última hora. Intente más tarde.",
    );
    if (i.pointIds?.length) {
      const n = await db.capturePoint.count({ where: { id: { in: i.pointIds }, clientId: i.clientId } });
      if (n !== new Set(i.pointIds).size) throw new AppError("BAD_INPUT", "Algún punto no pertenece a este cliente");
    }
    const job = await db.reportJob.create({
      data: {
        clientId: i.clientId,
        kind: i.kind,
        format: i.format,
        params: { month: i.month, ...(i.pointIds?.length ? { pointIds: i.pointIds } : {}) },
        createdById: principal.kind === "user" ? principal.id : null,
      },
      select,
    });
    await enqueueReport(job.id);
    await audit({ entity: "report_job", entityId: job.id, after: job });
    return withUrl(job);
  },
});

export const getReport = defineOperation({
  name: "reports.get",
  summary: "Estado y progreso de un reporte, con su URL de descarga",
  kind: "query",
  scope: "reports:read",
  tenant: reportTenant,
  module: "reports",
  input: z.object({ id: IdSchema }),
  rest: { method: "GET", path: "/analytics/reports/{id}" },
  handler: async ({ db }, { id }) => {
    const r = await db.reportJob.findUnique({ where: { id }, select });
    if (!r) throw new AppError("NOT_FOUND", "Reporte no encontrado");
    return withUrl(r);
  },
});

export const listReports = defineOperation({
  name: "reports.list",
  summary: "Reportes de un cliente",
  kind: "query",
  scope: "reports:read",
  tenant: { kind: "client" },
  module: "reports",
  input: PageSchema.extend({ clientId: IdSchema }),
  rest: { method: "GET", path: "/analytics/reports" },
  handler: async ({ db }, i) => {
    const [items, total] = await Promise.all([
      db.reportJob.findMany({
        where: { clientId: i.clientId },
        select,
        orderBy: { createdAt: "desc" },
        take: i.limit,
        skip: i.offset,
      }),
      db.reportJob.count({ where: { clientId: i.clientId } }),
    ]);
    return { items: items.map(withUrl), total, limit: i.limit, offset: i.offset };
  },
});
