import type pg from "pg";
import { SANTIAGO } from "./sql";

/** A daily bucket as the history read returns it (see AggRow in history-buckets.ts). */
export interface DaySeriesRow {
  variable: number;
  b: number;
  min: number | null;
  max: number | null;
  avg: number | null;
  last: number | null;
  count: number;
  excluded: number;
  consumption_m3: number | null;
  wq: number;
}

/** [bucket_start_ms, min, max, avg, last, count, excluded, consumption_m3, worst_quality] (…_series.days / .hours). */
type DayTuple = [
  number,
  number | null,
  number | null,
  number | null,
  number | null,
  number,
  number,
  number | null,
  number,
];

/**
 * Daily buckets of [from, to) from the read-optimised layout: one row per variable and America/Santiago month
 * (≈ 36 rows for a year of three variables instead of ≈ 1,100 daily rows), the same values measurement_daily
 * holds (kept in the processor's transaction, server/timeseries/store.ts). The first day is the Santiago day
 * containing `from`, as the daily table read did.
 */
function expand(rows: { variable: number; lo: number; tuples: DayTuple[] }[], toMs: number): DaySeriesRow[] {
  const out: DaySeriesRow[] = [];
  for (const r of rows) {
    for (const d of r.tuples) {
      if (d[0] < r.lo || d[0] >= toMs) continue;
      out.push({
        variable: r.variable,
        b: d[0],
        min: d[1],
        max: d[2],
        avg: d[3],
        last: d[4],
        count: d[5],
        excluded: d[6],
        consumption_m3: d[7],
        wq: d[8],
      });
    }
  }
  return out;
}

/** Hourly buckets of [from, to) from measurement_hour_series (one row per variable and UTC day), from the hour containing `from`. */
export async function hourSeriesRows(
  pool: pg.Pool,
  pointId: number,
  codes: number[],
  from: Date,
  to: Date,
): Promise<DaySeriesRow[]> {
  const { rows } = await pool.query<{ variable: number; lo: number; tuples: DayTuple[] }>({
    name: "history-hour-series",
    text: `SELECT variable, (extract(epoch FROM date_trunc('hour', $3::timestamptz)) * 1000)::float8 AS lo, hours AS tuples
     FROM measurement_hour_series
     WHERE point_id = $1 AND variable = ANY($2::smallint[]) AND day >= date_trunc('day', $3::timestamptz, 'UTC') AND day < $4
     ORDER BY variable, day`,
    values: [pointId, codes, from, to],
  });
  return expand(rows, to.getTime());
}

export async function daySeriesRows(
  pool: pg.Pool,
  pointId: number,
  codes: number[],
  from: Date,
  to: Date,
): Promise<DaySeriesRow[]> {
  const { rows } = await pool.query<{ variable: number; lo: number; tuples: DayTuple[] }>({
    name: "history-day-series",
    text: `SELECT variable, (extract(epoch FROM date_trunc('day', $3::timestamptz, '${SANTIAGO}')) * 1000)::float8 AS lo, days AS tuples
     FROM measurement_day_series
     WHERE point_id = $1 AND variable = ANY($2::smallint[]) AND month >= date_trunc('month', $3::timestamptz, '${SANTIAGO}') AND month < $4
     ORDER BY variable, month`,
    values: [pointId, codes, from, to],
  });
  return expand(rows, to.getTime());
}

/**
 * Rebuilds the hour and day series of the given points over [from, to) from measurement_hourly (whole UTC
 * days) and measurement_daily (whole Santiago months).
 * For bulk loads and anything that writes measurement_daily outside the processor; the processor keeps the
 * series itself (upsertRollups).
 */
export async function rebuildDaySeries(
  db: pg.Pool | pg.PoolClient,
  pointIds: number[],
  from: Date,
  to: Date,
): Promise<void> {
  await db.query(
    `SELECT refresh_hour_series(array_agg(point_id), array_agg(variable), array_agg(day))
     FROM (SELECT DISTINCT point_id, variable, date_trunc('day', bucket, 'UTC') AS day FROM measurement_hourly
           WHERE point_id = ANY($1::int[]) AND bucket >= date_trunc('day', $2::timestamptz, 'UTC') AND bucket < $3) m`,
    [pointIds, from, to],
  );
  await db.query(
    `SELECT refresh_day_series(array_agg(point_id), array_agg(variable), array_agg(month))
     FROM (SELECT DISTINCT point_id, variable, date_trunc('month', bucket, '${SANTIAGO}') AS month FROM measurement_daily
           WHERE point_id = ANY($1::int[]) AND bucket >= date_trunc('month', $2::timestamptz, '${SANTIAGO}') AND bucket < $3) m`,
    [pointIds, from, to],
  );
}
