import type pg from "pg";
import { santiagoDay } from "@/domain/analytics/period";
import { ownShape, type DailyVolume } from "@/domain/forecast/model";
import type { HourlyVolume, SeasonalShape } from "@/domain/forecast/shape";
import type { DailyDepth } from "@/domain/forecast/level";
import { santiagoDayNumber } from "@/domain/forecast/calendar";
import { VARIABLE_CODE } from "@/domain/measurements/types";
import { num } from "@/server/analytics/sql";

/** Years of daily rollups a forecast reads: enough for month factors and their replayed errors. */
const HISTORY_DAYS = 3 * 366;
const HOURLY_DAYS = 56;
const DAY_MS = 86_400_000;

export interface ForecastPoint {
  id: number;
  clientId: number;
  name: string;
  kind: string;
  grantedFlowLps: number | null;
  annualVolumeM3: number | null;
  waterYearStartMonth: number;
  pumpIntakeDepthM: number | null;
  forecastLeadDays: number;
}

export async function readForecastPoints(
  pool: pg.Pool,
  where: { clientId?: number; pointIds?: number[]; activeOnly?: boolean },
): Promise<ForecastPoint[]> {
  const { rows } = await pool.query<{
    id: number;
    client_id: number;
    name: string;
    kind: string;
    granted_flow_lps: number | null;
    annual_volume_m3: number | null;
    water_year_start_month: number;
    pump_intake_depth_m: number | null;
    forecast_lead_days: number;
  }>(
    `SELECT id, client_id, name, kind::text AS kind, granted_flow_lps, annual_volume_m3, water_year_start_month, pump_intake_depth_m, forecast_lead_days
     FROM capture_point WHERE ($1::int IS NULL OR client_id = $1) AND ($2::int[] IS NULL OR id = ANY($2::int[])) AND (NOT $3 OR status = 'active')
     ORDER BY name, id`,
    [where.clientId ?? null, where.pointIds ?? null, where.activeOnly ?? false],
  );
  return rows.map((r) => ({
    id: r.id,
    clientId: r.client_id,
    name: r.name,
    kind: r.kind,
    grantedFlowLps: num(r.granted_flow_lps),
    annualVolumeM3: num(r.annual_volume_m3),
    waterYearStartMonth: r.water_year_start_month,
    pumpIntakeDepthM: num(r.pump_intake_depth_m),
    forecastLeadDays: r.forecast_lead_days,
  }));
}

/** Daily extraction (totalizer consumption) of each point, Santiago days, from the daily rollups. */
export async function readDailyVolumes(
  pool: pg.Pool,
  pointIds: readonly number[],
  now: Date,
): Promise<Map<number, DailyVolume[]>> {
  const out = new Map<number, DailyVolume[]>(pointIds.map((id) => [id, []]));
  if (pointIds.length === 0) return out;
  const { rows } = await pool.query<{ point_id: number; bucket: Date; m3: number }>(
    `SELECT point_id, bucket, consumption_m3 AS m3 FROM measurement_daily
     WHERE point_id = ANY($1::int[]) AND variable = $2 AND bucket >= $3 AND bucket <= $4 AND consumption_m3 IS NOT NULL ORDER BY point_id, bucket`,
    [pointIds, VARIABLE_CODE.totalizer, new Date(now.getTime() - HISTORY_DAYS * DAY_MS), now],
  );
  for (const r of rows) out.get(r.point_id)?.push({ day: santiagoDay(r.bucket), volumeM3: Number(r.m3) });
  return out;
}

/** The last 8 weeks of hourly extraction of one point (hour-of-day shape). */
export async function readHourlyVolumes(pool: pg.Pool, pointId: number, now: Date): Promise<HourlyVolume[]> {
  const { rows } = await pool.query<{ bucket_ms: number; m3: number }>(
    `SELECT extract(epoch FROM bucket) * 1000 AS bucket_ms, consumption_m3 AS m3 FROM measurement_hourly
     WHERE point_id = $1 AND variable = $2 AND bucket >= $3 AND bucket < $4 AND consumption_m3 IS NOT NULL ORDER BY bucket`,
    [pointId, VARIABLE_CODE.totalizer, new Date(now.getTime() - HOURLY_DAYS * DAY_MS), now],
  );
  return rows.map((r) => ({ bucket: new Date(Number(r.bucket_ms)), volumeM3: Number(r.m3) }));
}

/** Daily static (min) and dynamic (max) depth to water over the last year. */
export async function readDailyDepths(pool: pg.Pool, pointId: number, now: Date): Promise<DailyDepth[]> {
  const { rows } = await pool.query<{ bucket: Date; min: number; max: number; avg: number }>(
    `SELECT bucket, min, max, avg FROM measurement_daily
     WHERE point_id = $1 AND variable = $2 AND bucket >= $3 AND bucket <= $4 AND min IS NOT NULL AND max IS NOT NULL ORDER BY bucket`,
    [pointId, VARIABLE_CODE.water_table, new Date(now.getTime() - 366 * DAY_MS), now],
  );
  return rows.map((r) => ({
    day: santiagoDay(r.bucket),
    minM: Number(r.min),
    maxM: Number(r.max),
    meanM: Number(r.avg),
  }));
}

export interface SimilarPoints {
  shapes: SeasonalShape[];
  /** Mean daily volume per L/s granted over the similar points' last 28 days (to size a point with no history). */
  m3PerDayPerLps: number | null;
}

/**
 * The client's other points of the same kind with at least the history a shape needs. Read only for
 * points whose own history is short, so a client of long-running points never pays for it.
 */
export async function readSimilarPoints(pool: pg.Pool, point: ForecastPoint, now: Date): Promise<SimilarPoints> {
  const others = (await readForecastPoints(pool, { clientId: point.clientId, activeOnly: true }))
    .filter((p) => p.id !== point.id && p.kind === point.kind)
    .slice(0, 20);
  const daily = await readDailyVolumes(
    pool,
    others.map((p) => p.id),
    now,
  );
  const origin = santiagoDayNumber(now);
  const shapes: SeasonalShape[] = [];
  const ratios: number[] = [];
  for (const p of others) {
    const d = daily.get(p.id) ?? [];
    const shape = ownShape(d, origin);
    if (shape) shapes.push(shape);
    const recent = d.slice(-28);
    if (p.grantedFlowLps && recent.length >= 7)
      ratios.push(recent.reduce((s, x) => s + x.volumeM3, 0) / recent.length / p.grantedFlowLps);
  }
  return { shapes, m3PerDayPerLps: ratios.length ? ratios.reduce((a, b) => a + b, 0) / ratios.length : null };
}
