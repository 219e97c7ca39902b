import { z } from "zod";
import { defineOperation, recordTenant } from "../operation";
import { IdSchema, PageSchema } from "@/domain/schemas/common";
import { VARIABLES } from "@/domain/measurements/types";
import type { Db } from "@/server/db";
import { getPgPool } from "@/server/pg";
import { getRedis } from "@/server/redis";
import { env } from "@/server/env";
import { pointTenant } from "./points";
import { HISTORY_BUCKETS, historyCsv, type HistoryResult } from "@/server/analytics/history";
import { HistoryCache, cachedPointHistory } from "@/server/analytics/history-cache";
import { realtimeForClient, realtimeForPoints } from "@/server/analytics/realtime";
import { clientOverview, consumption } from "@/server/analytics/consumption";
import { ANOMALY_STATES, ackAnomaly, listAnomalies, resolveAnomaly } from "@/server/analytics/anomalies";
import { AppError } from "@/domain/errors";
import { HISTORY_EXPORT_FORMATS, historyFileName, renderHistoryExport } from "@/server/reports/point-history";
import { CONTENT_TYPES } from "@/server/reports/render";

const XLSX_TYPE = CONTENT_TYPES.xlsx;

const anomalyTenant = recordTenant(
  async (db: Db, i: { id: number }) =>
    (await db.anomaly.findUnique({ where: { id: i.id }, select: { clientId: true } }))?.clientId ?? null,
);

const DAY_MS = 86400_000;
const cache = () => ({ redis: getRedis(), prefix: env().QUEUE_PREFIX });
const g = globalThis as unknown as { __historyCache?: HistoryCache };
const historyCache = () => {
  const e = env();
  if (e.HISTORY_CACHE_MAX_ROWS === 0) return undefined;
  g.__historyCache ??= new HistoryCache({ maxRows: e.HISTORY_CACHE_MAX_ROWS, ttlMs: e.HISTORY_CACHE_TTL_SEC * 1000 });
  return { cache: g.__historyCache, redis: getRedis(), prefix: e.QUEUE_PREFIX, nowMs: Date.now() };
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

export const history = defineOperation({
  name: "analytics.history",
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
  handler: async (_ctx, i): Promise<HistoryResult> => {
    const to = i.to ?? new Date();
    const from = i.from ?? new Date(to.getTime() - 7 * DAY_MS);
    if (to.getTime() - from.getTime() > 5 * 366 * DAY_MS)
      throw new AppError("BAD_INPUT", "El rango máximo es de 5 años");
    return cachedPointHistory(
      getPgPool(),
      { pointId: i.id, from, to, bucket: i.bucket, variables: i.variables, includeRaw: i.includeRaw },
      historyCache(),
    );
  },
  csv: historyCsv,
});

export const historyExport = defineOperation({
  name: "analytics.historyExport",
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
  handler: async ({ db }, i) => {
    if (!(i.to > i.from)) throw new AppError("BAD_INPUT", "El rango de fechas es inválido");
    if (i.to.getTime() - i.from.getTime() > 5 * 366 * DAY_MS)
      throw new AppError("BAD_INPUT", "El rango máximo es de 5 años");
    const point = await db.capturePoint.findUnique({ where: { id: i.id }, select: { name: true } });
    if (!point) throw new AppError("NOT_FOUND", "Punto no encontrado");
    const h = await cachedPointHistory(
      getPgPool(),
      { pointId: i.id, from: i.from, to: i.to, bucket: i.bucket, variables: i.variables },
      historyCache(),
    );
    return {
      fileName: historyFileName(point.name, h, i.format),
      contentType: i.format === "csv" ? "text/csv; charset=utf-8" : XLSX_TYPE,
      base64: renderHistoryExport(point.name, h, i.format).toString("base64"),
    };
  },
});

export const realtime = defineOperation({
  name: "analytics.realtime",
  summary: "Últimos valores de un punto, su antigüedad y estado",
  kind: "query",
  scope: "measurements:read",
  tenant: pointTenant,
  module: "telemetry",
  input: z.object({ id: IdSchema }),
  rest: { method: "GET", path: "/analytics/points/{id}/realtime" },
  handler: async (_ctx, i) => {
    const [p] = await realtimeForPoints(getPgPool(), [i.id], new Date(), cache());
    if (!p) throw new AppError("NOT_FOUND", "Punto no encontrado");
    return p;
  },
});

export const clientRealtime = defineOperation({
  name: "analytics.clientRealtime",
  summary: "Últimos valores y estado de todos los puntos de un cliente",
  kind: "query",
  scope: "measurements:read",
  tenant: { kind: "client" },
  module: "telemetry",
  input: z.object({ clientId: IdSchema }),
  rest: { method: "GET", path: "/analytics/realtime" },
  handler: async (_ctx, i) => ({
    clientId: i.clientId,
    at: new Date(),
    points: await realtimeForClient(getPgPool(), i.clientId, new Date(), cache()),
  }),
});

export const overview = defineOperation({
  name: "analytics.overview",
  summary: "Resumen del cliente: puntos por estado, extracción de hoy y del mes, alertas abiertas",
  kind: "query",
  scope: "measurements:read",
  tenant: { kind: "client" },
  module: "telemetry",
  input: z.object({ clientId: IdSchema }),
  rest: { method: "GET", path: "/analytics/overview" },
  handler: async (_ctx, i) => clientOverview(getPgPool(), i.clientId, new Date(), cache()),
});

export const consumptionOp = defineOperation({
  name: "analytics.consumption",
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
  handler: async (_ctx, i) => {
    const to = i.to ?? new Date();
    const from = i.from ?? new Date(to.getTime() - (i.granularity === "day" ? 31 : 366) * DAY_MS);
    if (!(to > from)) throw new AppError("BAD_INPUT", "El rango de fechas es inválido");
    if (i.granularity === "day" && to.getTime() - from.getTime() > 1100 * DAY_MS)
      throw new AppError("BAD_INPUT", "Use granularity=month para rangos de más de 3 años");
    return consumption(getPgPool(), { clientId: i.clientId, pointId: i.pointId, from, to, granularity: i.granularity });
  },
});

export const anomalies = defineOperation({
  name: "analytics.anomalies",
  summary: "Anomalías de un cliente (paginadas)",
  kind: "query",
  scope: "alerts:read",
  tenant: { kind: "client" },
  module: "alerts",
  input: PageSchema.extend({
    clientId: IdSchema,
    pointId: IdSchema.optional(),
    from: z.coerce.date().optional(),
    to: z.coerce.date().optional(),
    type: z.string().trim().min(1).max(60).optional(),
    state: z.enum(ANOMALY_STATES).optional(),
  }),
  rest: { method: "GET", path: "/analytics/anomalies" },
  handler: async ({ db }, i) => listAnomalies(db, i),
});

export const ackAnomalyOp = defineOperation({
  name: "analytics.ackAnomaly",
  summary: "Reconocer una anomalía",
  kind: "mutation",
  scope: "alerts:ack",
  tenant: anomalyTenant,
  module: "alerts",
  input: z.object({ id: IdSchema }),
  rest: { method: "POST", path: "/analytics/anomalies/{id}/ack" },
  handler: async ({ db, principal, audit }, i) => {
    const { before, after } = await ackAnomaly(db, i.id, principal.kind === "user" ? principal.id : null, new Date());
    await audit({ entity: "anomaly", entityId: i.id, before, after });
    return after;
  },
});

export const resolveAnomalyOp = defineOperation({
  name: "analytics.resolveAnomaly",
  summary: "Resolver una anomalía",
  kind: "mutation",
  scope: "alerts:ack",
  tenant: anomalyTenant,
  module: "alerts",
  input: z.object({ id: IdSchema }),
  rest: { method: "POST", path: "/analytics/anomalies/{id}/resolve" },
  handler: async ({ db, principal, audit }, i) => {
    const { before, after } = await resolveAnomaly(
      db,
      i.id,
      principal.kind === "user" ? principal.id : null,
      new Date(),
    );
    await audit({ entity: "anomaly", entityId: i.id, before, after });
    return after;
  },
});
