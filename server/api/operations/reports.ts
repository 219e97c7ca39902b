import { z } from "zod";
import { defineOperation, recordTenant } from "../operation";
import { AppError } from "@/domain/errors";
import { IdSchema, PageSchema } from "@/domain/schemas/common";
import { MonthSchema, previousSantiagoMonth } from "@/domain/analytics/period";
import type { Db } from "@/server/db";
import { enqueueReport } from "@/server/reports/jobs";
import { callerKey, consumeOrThrow, limiters } from "@/server/security/limiters";
import { REPORT_KINDS } from "@/server/reports/generate";
import { REPORT_FORMATS } from "@/server/reports/render";
import { defaultReportMonth, monthsWithData } from "@/server/reports/months";
import { getPgPool } from "@/server/pg";
import { clientsMonthSummary } from "@/server/reports/clients-month";

const reportTenant = recordTenant(
  async (prisma: Db, input: { id: number }) =>
    (await prisma.reportJob.findUnique({ where: { id: input.id }, select: { clientId: true } }))?.clientId ?? null,
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

export const reportOps = {
  months: defineOperation({
    summary: "Meses con datos de un cliente y el mes sugerido para un reporte",
    kind: "query",
    scope: "reports:read",
    tenant: { kind: "client" },
    module: "reports",
    input: z.object({ clientId: IdSchema }),
    rest: { method: "GET", path: "/analytics/report-months" },
    handler: async (_ctx, input) => {
      const now = new Date();
      const months = await monthsWithData(getPgPool(), input.clientId, now);
      return { months, suggested: defaultReportMonth(months, now) };
    },
  }),
  clientsMonth: defineOperation({
    summary:
      "Resumen de un mes por cliente (puntos, cumplimiento DGA, volumen m³, alertas abiertas); sin clientId, de todos los clientes permitidos",
    kind: "query",
    scope: "reports:read",
    tenant: { kind: "clients" },
    module: "reports",
    input: z.object({ clientId: IdSchema.optional(), month: MonthSchema.optional() }).default({}),
    rest: { method: "GET", path: "/analytics/report-clients" },
    handler: async ({ clientIds }, input) => {
      const now = new Date();
      const month = input.month ?? previousSantiagoMonth(now);
      return { month, clients: await clientsMonthSummary(getPgPool(), { clientIds, month }, now) };
    },
  }),
  create: defineOperation({
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
    handler: async ({ prisma, principal, audit }, input) => {
      await consumeOrThrow(
        limiters().reports,
        callerKey(principal),
        "Demasiados reportes solicitados en la última hora. Intente más tarde.",
      );
      if (input.pointIds?.length) {
        const n = await prisma.capturePoint.count({ where: { id: { in: input.pointIds }, clientId: input.clientId } });
        if (n !== new Set(input.pointIds).size)
          throw new AppError("BAD_INPUT", "Algún punto no pertenece a este cliente");
      }
      const job = await prisma.reportJob.create({
        data: {
          clientId: input.clientId,
          kind: input.kind,
          format: input.format,
          params: { month: input.month, ...(input.pointIds?.length ? { pointIds: input.pointIds } : {}) },
          createdById: principal.kind === "user" ? principal.id : null,
        },
        select,
      });
      await enqueueReport(job.id);
      await audit({ entity: "report_job", entityId: job.id, after: job });
      return withUrl(job);
    },
  }),
  get: defineOperation({
    summary: "Estado y progreso de un reporte, con su URL de descarga",
    kind: "query",
    scope: "reports:read",
    tenant: reportTenant,
    module: "reports",
    input: z.object({ id: IdSchema }),
    rest: { method: "GET", path: "/analytics/reports/{id}" },
    handler: async ({ prisma }, { id }) => {
      const r = await prisma.reportJob.findUnique({ where: { id }, select });
      if (!r) throw new AppError("NOT_FOUND", "Reporte no encontrado");
      return withUrl(r);
    },
  }),
  list: defineOperation({
    summary: "Reportes de un cliente",
    kind: "query",
    scope: "reports:read",
    tenant: { kind: "client" },
    module: "reports",
    input: PageSchema.extend({ clientId: IdSchema }),
    rest: { method: "GET", path: "/analytics/reports" },
    handler: async ({ prisma }, input) => {
      const [items, total] = await Promise.all([
        prisma.reportJob.findMany({
          where: { clientId: input.clientId },
          select,
          orderBy: { createdAt: "desc" },
          take: input.limit,
          skip: input.offset,
        }),
        prisma.reportJob.count({ where: { clientId: input.clientId } }),
      ]);
      return { items: items.map(withUrl), total, limit: input.limit, offset: input.offset };
    },
  }),
};
