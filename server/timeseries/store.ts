import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { VARIABLE_CODE } from "@/domain/measurements/types";
import { QUALITY, QUALITY_SEVERITY, codeOf, type QualityName } from "@/domain/measurements/quality";
import { MEASUREMENT_COLUMNS } from "./codec";
import { binaryCopyChunks } from "./binary-copy";
import type { FlagUpdate, HourlyRollup, StoredRow } from "./types";

const staged = new WeakSet<pg.PoolClient>();

async function ensureStage(db: pg.PoolClient): Promise<void> {
  if (staged.has(db)) return;
  await db.query(
    `CREATE TEMP TABLE IF NOT EXISTS measurement_stage (LIKE measurement INCLUDING DEFAULTS) ON COMMIT DELETE ROWS`,
  );
  staged.add(db);
}

/** COPY rows into `table` (binary format, MEASUREMENT_COLUMNS). */
async function copyMeasurementRows(db: pg.PoolClient, table: string, rows: readonly StoredRow[]): Promise<void> {
  if (rows.length === 0) return;
  const stream = db.query(copyFrom(`COPY ${table} (${MEASUREMENT_COLUMNS}) FROM STDIN (FORMAT binary)`));
  await pipeline(Readable.from(binaryCopyChunks(rows)), stream);
}

/**
 * Writes new rows inside the caller's transaction. "merge" (safe): staging COPY + INSERT … ON CONFLICT
 * DO NOTHING — an existing key keeps its first value and a differing value is captured in
 * measurement_conflict. "direct": COPY straight into measurement, for callers that hold the point locks
 * and have already removed existing keys; a duplicate key then fails the transaction (SQLSTATE 23505)
 * and the caller retries with "merge". Returns how many rows were inserted.
 */
export async function mergeMeasurements(
  db: pg.PoolClient,
  rows: readonly StoredRow[],
  mode: "merge" | "direct" = "merge",
): Promise<number> {
  if (rows.length === 0) return 0;
  if (mode === "direct") {
    await copyMeasurementRows(db, "measurement", rows);
    return rows.length;
  }
  await ensureStage(db);
  await copyMeasurementRows(db, "measurement_stage", rows);
  const r = await db.query<{ n: number }>(
    `WITH ins AS (INSERT INTO measurement (${MEASUREMENT_COLUMNS}) SELECT ${MEASUREMENT_COLUMNS} FROM measurement_stage ON CONFLICT DO NOTHING RETURNING 1)
     SELECT count(*)::int AS n FROM ins`,
  );
  const inserted = r.rows[0]?.n ?? 0;
  if (inserted < rows.length) {
    await db.query(
      `INSERT INTO measurement_conflict (point_id, variable, ts, value, raw_value, raw_unit, source, raw_id, base_quality, base_reason)
       SELECT s.point_id, s.variable, s.ts, s.value, s.raw_value, s.raw_unit, s.source, s.raw_id, s.base_quality, s.base_reason
       FROM measurement_stage s JOIN measurement m ON m.point_id = s.point_id AND m.variable = s.variable AND m.ts = s.ts
       WHERE (m.raw_value IS DISTINCT FROM s.raw_value OR m.value IS DISTINCT FROM s.value) AND m.raw_id IS DISTINCT FROM s.raw_id
       ON CONFLICT DO NOTHING`,
    );
  }
  // The stage is ON COMMIT DELETE ROWS; emptied here too so a second merge in the same transaction starts clean.
  await db.query("DELETE FROM measurement_stage");
  return inserted;
}

/** Same-key, different-value readings; the unique dedupe index makes re-inserts no-ops. */
export async function insertConflicts(db: pg.PoolClient, rows: readonly StoredRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db.query(
    `INSERT INTO measurement_conflict (point_id, variable, ts, value, raw_value, raw_unit, source, raw_id, base_quality, base_reason)
     SELECT * FROM unnest($1::int[], $2::smallint[], $3::timestamptz[], $4::float8[], $5::text[], $6::text[], $7::text[], $8::bigint[], $9::smallint[], $10::text[])
     ON CONFLICT DO NOTHING`,
    [
      rows.map((r) => r.pointId),
      rows.map((r) => VARIABLE_CODE[r.variable]),
      rows.map((r) => r.ts),
      rows.map((r) => r.value),
      rows.map((r) => r.rawValue),
      rows.map((r) => r.rawUnit),
      rows.map((r) => r.source),
      rows.map((r) => r.rawId),
      rows.map((r) => codeOf(r.baseQuality)),
      rows.map((r) => r.baseReason),
    ],
  );
}

/** Writes recomputed flags (quality/reason only: value, raw value and base flags are never touched). */
export async function updateFlags(db: pg.PoolClient, updates: readonly FlagUpdate[]): Promise<void> {
  if (updates.length === 0) return;
  await db.query({
    name: "ts-update-flags",
    text: `UPDATE measurement m SET quality = u.q, reason = u.r
     FROM unnest($1::int[], $2::smallint[], $3::timestamptz[], $4::smallint[], $5::text[]) AS u(p, v, ts, q, r)
     WHERE m.point_id = u.p AND m.variable = u.v AND m.ts = u.ts`,
    values: [
      updates.map((u) => u.pointId),
      updates.map((u) => VARIABLE_CODE[u.variable]),
      updates.map((u) => u.ts),
      updates.map((u) => codeOf(u.quality)),
      updates.map((u) => u.reason),
    ],
  });
}

/** Severity by quality code (index = code), for worst-quality roll-ups done in SQL. */
const SEVERITY_BY_CODE: number[] = (Object.keys(QUALITY) as QualityName[]).reduce<number[]>((acc, q) => {
  acc[QUALITY[q]] = QUALITY_SEVERITY[q];
  return acc;
}, []);

/**
 * Upserts hourly rollups, then recomputes the America/Santiago days that contain them from the hourly table,
 * then the read-optimised series of those hours and days (measurement_hour_series: one row per point, variable
 * and UTC day; measurement_day_series: per Santiago month; refresh_*_series() in their migration). All in the
 * caller's transaction.
 */
export async function upsertRollups(db: pg.PoolClient, hourly: readonly HourlyRollup[]): Promise<void> {
  if (hourly.length === 0) return;
  const h = [...hourly].sort(
    (a, b) =>
      a.pointId - b.pointId ||
      VARIABLE_CODE[a.variable] - VARIABLE_CODE[b.variable] ||
      a.bucket.getTime() - b.bucket.getTime(),
  );
  await db.query({
    name: "ts-upsert-hourly",
    text: `INSERT INTO measurement_hourly AS t (point_id, variable, bucket, min, max, avg, last, count, excluded, consumption_m3, worst_quality)
     SELECT * FROM unnest($1::int[], $2::smallint[], $3::timestamptz[], $4::float8[], $5::float8[], $6::float8[], $7::float8[], $8::int[], $9::int[], $10::float8[], $11::smallint[])
     ON CONFLICT (point_id, variable, bucket) DO UPDATE SET min = EXCLUDED.min, max = EXCLUDED.max, avg = EXCLUDED.avg, last = EXCLUDED.last,
       count = EXCLUDED.count, excluded = EXCLUDED.excluded, consumption_m3 = EXCLUDED.consumption_m3, worst_quality = EXCLUDED.worst_quality, updated_at = now()`,
    values: [
      h.map((r) => r.pointId),
      h.map((r) => VARIABLE_CODE[r.variable]),
      h.map((r) => r.bucket),
      h.map((r) => r.min),
      h.map((r) => r.max),
      h.map((r) => r.avg),
      h.map((r) => r.last),
      h.map((r) => r.count),
      h.map((r) => r.excluded),
      h.map((r) => r.consumptionM3),
      h.map((r) => codeOf(r.worstQuality)),
    ],
  });
  await db.query({
    name: "ts-refresh-daily",
    text: `WITH k AS (
       SELECT DISTINCT point_id, variable, date_trunc('day', bucket, 'America/Santiago') AS day
       FROM unnest($1::int[], $2::smallint[], $3::timestamptz[]) AS k(point_id, variable, bucket))
     INSERT INTO measurement_daily AS t (point_id, variable, bucket, min, max, avg, last, count, excluded, consumption_m3, worst_quality)
     SELECT k.point_id, k.variable, k.day, min(h.min), max(h.max), sum(h.avg * h.count) / nullif(sum(h.count), 0),
       (array_agg(h.last ORDER BY h.bucket DESC) FILTER (WHERE h.last IS NOT NULL))[1], sum(h.count), sum(h.excluded), sum(h.consumption_m3),
       max(($4::int[])[h.worst_quality + 1] * 100 + h.worst_quality) % 100
     FROM k JOIN measurement_hourly h ON h.point_id = k.point_id AND h.variable = k.variable
       AND h.bucket >= k.day AND h.bucket < ((k.day AT TIME ZONE 'America/Santiago') + interval '1 day') AT TIME ZONE 'America/Santiago'
     GROUP BY k.point_id, k.variable, k.day
     ON CONFLICT (point_id, variable, bucket) DO UPDATE SET min = EXCLUDED.min, max = EXCLUDED.max, avg = EXCLUDED.avg, last = EXCLUDED.last,
       count = EXCLUDED.count, excluded = EXCLUDED.excluded, consumption_m3 = EXCLUDED.consumption_m3, worst_quality = EXCLUDED.worst_quality, updated_at = now()`,
    values: [
      h.map((r) => r.pointId),
      h.map((r) => VARIABLE_CODE[r.variable]),
      h.map((r) => r.bucket),
      SEVERITY_BY_CODE,
    ],
  });
  await refreshReadSeries(db, h);
}

/**
 * Rebuilds the read-optimised series that contain the given hourly buckets: their UTC days in
 * measurement_hour_series (from measurement_hourly) and their Santiago months in measurement_day_series
 * (from measurement_daily).
 */
async function refreshReadSeries(
  db: pg.PoolClient | pg.Pool,
  keys: readonly Pick<HourlyRollup, "pointId" | "variable" | "bucket">[],
): Promise<void> {
  if (keys.length === 0) return;
  const values = [keys.map((r) => r.pointId), keys.map((r) => VARIABLE_CODE[r.variable]), keys.map((r) => r.bucket)];
  await db.query({
    name: "ts-refresh-hour-series",
    text: `SELECT refresh_hour_series(array_agg(point_id), array_agg(variable), array_agg(day))
     FROM (SELECT DISTINCT point_id, variable, date_trunc('day', bucket, 'UTC') AS day
           FROM unnest($1::int[], $2::smallint[], $3::timestamptz[]) AS k(point_id, variable, bucket)) d`,
    values,
  });
  await db.query({
    name: "ts-refresh-day-series",
    text: `SELECT refresh_day_series(array_agg(point_id), array_agg(variable), array_agg(month))
     FROM (SELECT DISTINCT point_id, variable, date_trunc('month', bucket, 'America/Santiago') AS month
           FROM unnest($1::int[], $2::smallint[], $3::timestamptz[]) AS k(point_id, variable, bucket)) m`,
    values,
  });
}
