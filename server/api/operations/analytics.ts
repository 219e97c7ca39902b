import { z } from "zod";
import { defineOperation, recordTenant } from "../operation";
import { IdSchema, PageSchema } from "@/domain/schemas/common";
import { VARIABLES } from "@/domain/measurements/types";
import type { Db } from "@/server/db";
import { getPgPool } from "@/server/pg";
import { getRedis } from "@/server/redis";
import { env } from "@/server/env";
import { pointTenant } from "./points";
import { HISTORY_BUCKETS, historyCsv, historyJson, type HistoryResult } from "@/server/analytics/history";
import { HistoryCache, cachedPointHistory } from "@/server/analytics/history-cache";
import { realtimeForClient, realtimeForPoints, realtimeJson, type PointRealtime } from "@/server/analytics/realtime";
import { coalescer } from "@/server/analytics/coalesce";
import { clientOverview, consumption } from "@/server/analytics/consumption";
import { ANOMALY_STATES, ackAnomaly, listAnomalies, resolveAnomaly } from "@/server/analytics/anomalies";
import { AppError } from "@/domain/errors";
import { HISTORY_EXPORT_FORMATS, historyFileName, renderHistoryExport } from "@/server/reports/point-history";
import { CONTENT_TYPES } from "@/server/reports/render";

const anomalyTenant = recordTenant(
  async (prisma: Db, input: { id: number }) =>
    (await prisma.anomaly.findUnique({ where: { id: input.id }, select: { clientId: true } }))?.clientId ?? null,
);

const DAY_MS = 86400_000;
const collapseClientRealtime = coalescer<{ clientId: number; at: Date; points: PointRealtime[] }>();
const cache = () => ({ redis: getRedis(), prefix: env().REDIS_NAMESPACE });
const g = globalThis as unknown as { __historyCache?: HistoryCache };
const historyCache = () => {
  const e = env();
  if (e.HISTORY_CACHE_MAX_ROWS === 0) return undefined;
  g.__historyCache ??= new HistoryCache({ maxRows: e.HISTORY_CACHE_MAX_ROWS, ttlMs: e.HISTORY_CACHE_TTL_SEC * 1000 });
  return { cache: g.__historyCache, redis: getRedis(), prefix: e.REDIS_NAMESPACE, nowMs: Date.now() };
};
const VariablesSchema = z.preprocess(
  (v) =>
    typeof v === "string"
      ? v
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean)
      : v,
  z.array(z.enum(VARIABLES)).min(1),
);

/** Acknowledge and resolve differ only in the transition applied; both are audited with before and after. */
function anomalyTransition(action: "ack" | "resolve", summary: string, apply: typeof ackAnomaly) {
  return defineOperation({
    summary,
    kind: "mutation",
    scope: "alerts:ack",
    tenant: anomalyTenant,
    module: "alerts",
    input: z.object({ id: IdSchema }),
    rest: { method: "POST", path: `/analytics/anomalies/{id}/${action}` },
    handler: async ({ prisma, principal, audit }, input) => {
      const { before, after } = await apply(
        prisma,
        input.id,
        principal.kind === "user" ? principal.id : null,
        new Date(),
      );
      await audit({ entity: "anomaly", entityId: input.id, before, after });
      return after;
    },
  });
}

export const analyticsOps = {
  historyExport: defineOperation({
    summary: "Historia de un punto como archivo CSV o XLSX (rango mostrado; horas de America/Santiago)",
    kind: "query",
    scope: "measurements:read",
    tenant: pointTenant,
    module: "telemetry",
    input: z.object({
      id: IdSchema,
      from: z.coerce.date(),
      to: z.coerce.date(),
      bucket: z.enum(HISTORY_BUCKETS).optional(),
      variables: VariablesSchema.optional(),
      format: z.enum(HISTORY_EXPORT_FORMATS),
    }),
    rest: { method: "GET", path: "/analytics/points/{id}/history/export" },
    handler: async ({ prisma }, input) => {
      if (!(input.to > input.from)) throw new AppError("BAD_INPUT", "El rango de fechas es inválido");
      if (input.to.getTime() - input.from.getTime() > 5 * 366 * DAY_MS)
        throw new AppError("BAD_INPUT", "El rango máximo es de 5 años");
      const point = await prisma.capturePoint.findUnique({ where: { id: input.id }, select: { name: true } });
      if (!point) throw new AppError("NOT_FOUND", "Punto no encontrado");
      const history = await cachedPointHistory(
        getPgPool(),
        { pointId: input.id, from: input.from, to: input.to, bucket: input.bucket, variables: input.variables },
        historyCache(),
      );
      return {
        fileName: historyFileName(point.name, history, input.format),
        contentType: input.format === "csv" ? "text/csv; charset=utf-8" : CONTENT_TYPES.xlsx,
        base64: renderHistoryExport(point.name, history, input.format).toString("base64"),
      };
    },
  }),
  history: defineOperation({
    summary: "Historia de un punto (cruda o por intervalos, con banderas de calidad; CSV con Accept: text/csv)",
    kind: "query",
    scope: "measurements:read",
    tenant: pointTenant,
    module: "telemetry",
    input: z.object({
      id: IdSchema,
      from: z.coerce.date().optional(),
      to: z.coerce.date().optional(),
      bucket: z.enum(HISTORY_BUCKETS).optional(),
      variables: VariablesSchema.optional(),
      /** Opt-in: raw provider values ("ERR", "-3") and reasons of flagged readings. */
      includeRaw: z
        .preprocess((v) => (v === "true" || v === "1" ? true : v === "false" || v === "0" ? false : v), z.boolean())
        .optional(),
    }),
    rest: { method: "GET", path: "/analytics/points/{id}/history" },
    handler: async (_ctx, input): Promise<HistoryResult> => {
      const to = input.to ?? new Date();
      const from = input.from ?? new Date(to.getTime() - 7 * DAY_MS);
      if (to.getTime() - from.getTime() > 5 * 366 * DAY_MS)
        throw new AppError("BAD_INPUT", "El rango máximo es de 5 años");
      return cachedPointHistory(
        getPgPool(),
        { pointId: input.id, from, to, bucket: input.bucket, variables: input.variables, includeRaw: input.includeRaw },
        historyCache(),
      );
    },
    restBody: historyJson,
    csv: historyCsv,
  }),
  realtime: defineOperation({
    summary: "Últimos valores de un punto, su antigüedad y estado",
    kind: "query",
    scope: "measurements:read",
    tenant: pointTenant,
    module: "telemetry",
    input: z.object({ id: IdSchema }),
    rest: { method: "GET", path: "/analytics/points/{id}/realtime" },
    handler: async (_ctx, input) => {
      const [p] = await realtimeForPoints(getPgPool(), [input.id], new Date(), cache());
      if (!p) throw new AppError("NOT_FOUND", "Punto no encontrado");
      return p;
    },
    restBody: realtimeJson,
  }),
  clientRealtime: defineOperation({
    summary: "Últimos valores y estado de todos los puntos de un cliente",
    kind: "query",
    scope: "measurements:read",
    tenant: { kind: "client" },
    module: "telemetry",
    input: z.object({ clientId: IdSchema }),
    rest: { method: "GET", path: "/analytics/realtime" },
    // Concurrent reads of one client's realtime (dashboards polling, the app) share one computation and, over
    // REST, one encoded body (rest.ts keeps the bytes of a result object it has already encoded).
    handler: (_ctx, input) =>
      collapseClientRealtime(`${input.clientId}`, async () => ({
        clientId: input.clientId,
        at: new Date(),
        points: await realtimeForClient(getPgPool(), input.clientId, new Date(), cache()),
      })),
    restBody: (r) => ({ ...r, points: r.points.map(realtimeJson) }),
    sharedResult: true,
  }),
  overview: defineOperation({
    summary: "Resumen del cliente: puntos por estado, extracción de hoy y del mes, alertas abiertas",
    kind: "query",
    scope: "measurements:read",
    tenant: { kind: "client" },
    module: "telemetry",
    input: z.object({ clientId: IdSchema }),
    rest: { method: "GET", path: "/analytics/overview" },
    handler: async (_ctx, input) => clientOverview(getPgPool(), input.clientId, new Date(), cache()),
  }),
  consumption: defineOperation({
    summary: "Extracción por punto y cliente, por día o mes, frente al caudal y volumen otorgados",
    kind: "query",
    scope: "measurements:read",
    tenant: { kind: "client" },
    module: "telemetry",
    input: z.object({
      clientId: IdSchema,
      pointId: IdSchema.optional(),
      from: z.coerce.date().optional(),
      to: z.coerce.date().optional(),
      granularity: z.enum(["day", "month"]).default("day"),
    }),
    rest: { method: "GET", path: "/analytics/consumption" },
    handler: async (_ctx, input) => {
      const to = input.to ?? new Date();
      const from = input.from ?? new Date(to.getTime() - (input.granularity === "day" ? 31 : 366) * DAY_MS);
      if (!(to > from)) throw new AppError("BAD_INPUT", "El rango de fechas es inválido");
      if (input.granularity === "day" && to.getTime() - from.getTime() > 1100 * DAY_MS)
        throw new AppError("BAD_INPUT", "Use granularity=month para rangos de más de 3 años");
      return consumption(getPgPool(), {
        clientId: input.clientId,
        pointId: input.pointId,
        from,
        to,
        granularity: input.granularity,
      });
    },
  }),
  anomalies: defineOperation({
    summary: "Anomalías de un cliente o, sin clientId, de todos los clientes permitidos (paginadas)",
    kind: "query",
    scope: "alerts:read",
    tenant: { kind: "clients" },
    module: "alerts",
    input: PageSchema.extend({
      clientId: IdSchema.optional(),
      pointId: IdSchema.optional(),
      from: z.coerce.date().optional(),
      to: z.coerce.date().optional(),
      type: z.string().trim().min(1).max(60).optional(),
      state: z.enum(ANOMALY_STATES).optional(),
    }),
    rest: { method: "GET", path: "/analytics/anomalies" },
    handler: async ({ prisma, clientIds }, input) => listAnomalies(prisma, { ...input, clientIds }),
  }),
  ackAnomaly: anomalyTransition("ack", "Reconocer una anomalía", ackAnomaly),
  resolveAnomaly: anomalyTransition("resolve", "Resolver una anomalía", resolveAnomaly),
};
