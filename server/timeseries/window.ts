import type pg from "pg";
import { VARIABLE_BY_CODE, VARIABLE_CODE, type Variable } from "@/domain/measurements/types";
import { nameOf } from "@/domain/measurements/quality";
import { seriesKey, type StoredRow } from "./types";

/** Rows loaded around the incoming ones: the assessment needs this many neighbours on each side. */
export const CONTEXT_ROWS = 24;

export interface WindowRequest {
  pointId: number;
  variable: Variable;
  /** First and last timestamp of the incoming rows. */
  from: Date;
  to: Date;
}

export interface LoadedWindow {
  rows: StoredRow[];
  conflicts: StoredRow[];
}

interface DbRow {
  point_id: number;
  variable: number;
  ts: Date;
  value: number | null;
  raw_value: string | null;
  raw_unit: string | null;
  quality: number;
  reason: string | null;
  base_quality: number | null;
  base_reason: string | null;
  source: string;
  raw_id: string | null;
}

function decode(r: DbRow): StoredRow {
  const quality = nameOf(r.quality);
  // Rows written before base_quality existed: their stored flags are the best intrinsic guess.
  const baseQuality = r.base_quality === null ? quality : nameOf(r.base_quality);
  return {
    pointId: r.point_id,
    variable: VARIABLE_BY_CODE[r.variable] ?? "flow",
    ts: r.ts,
    value: r.value,
    rawValue: r.raw_value,
    rawUnit: r.raw_unit,
    quality,
    reason: r.reason,
    baseQuality,
    baseReason: r.base_quality === null ? r.reason : r.base_reason,
    source: r.source,
    rawId: r.raw_id,
  };
}

/**
 * Loads, per series, every row of the whole UTC hours spanning [from, to] widened by CONTEXT_ROWS
 * existing rows on each side, plus the captured conflicts in the same range. Whole hours so that
 * hourly rollups of any row the recompute may touch are computed from complete buckets.
 */
export async function loadWindows(
  db: pg.PoolClient | pg.Pool,
  reqs: readonly WindowRequest[],
): Promise<Map<string, LoadedWindow>> {
  const out = new Map<string, LoadedWindow>();
  for (const r of reqs) out.set(seriesKey(r.pointId, r.variable), { rows: [], conflicts: [] });
  if (reqs.length === 0) return out;
  const params = [
    reqs.map((r) => r.pointId),
    reqs.map((r) => VARIABLE_CODE[r.variable]),
    reqs.map((r) => r.from),
    reqs.map((r) => r.to),
    CONTEXT_ROWS,
  ];
  const bounds = `
    WITH req AS (SELECT * FROM unnest($1::int[], $2::smallint[], $3::timestamptz[], $4::timestamptz[]) AS q(point_id, variable, lo, hi)),
    b AS (
      SELECT q.point_id, q.variable,
        date_trunc('hour', least(q.lo, (SELECT min(ts) FROM (SELECT m.ts FROM measurement m WHERE m.point_id = q.point_id AND m.variable = q.variable AND m.ts < q.lo ORDER BY m.ts DESC LIMIT $5) x)), 'UTC') AS lo,
        date_trunc('hour', greatest(q.hi, (SELECT max(ts) FROM (SELECT m.ts FROM measurement m WHERE m.point_id = q.point_id AND m.variable = q.variable AND m.ts > q.hi ORDER BY m.ts ASC LIMIT $5) x)), 'UTC') + interval '1 hour' AS hi
      FROM req q)`;
  const cols =
    "t.point_id, t.variable, t.ts, t.value, t.raw_value, t.raw_unit, t.base_quality, t.base_reason, t.source, t.raw_id::text";
  // One statement for rows and conflicts: the bounds (two index probes per series) are computed once.
  const r = await db.query<DbRow & { conflict: boolean }>(
    `${bounds}
     SELECT false AS conflict, ${cols}, t.quality, t.reason FROM b JOIN measurement t ON t.point_id = b.point_id AND t.variable = b.variable AND t.ts >= b.lo AND t.ts < b.hi
     UNION ALL
     SELECT true, ${cols}, coalesce(t.base_quality, 0), t.base_reason FROM b JOIN measurement_conflict t ON t.point_id = b.point_id AND t.variable = b.variable AND t.ts >= b.lo AND t.ts < b.hi
     ORDER BY point_id, variable, ts`,
    params,
  );
  for (const row of r.rows) {
    const w = out.get(seriesKey(row.point_id, VARIABLE_BY_CODE[row.variable] ?? "flow"));
    if (w) (row.conflict ? w.conflicts : w.rows).push(decode(row));
  }
  return out;
}
