import type pg from "pg";
import type { SeriesRow } from "@/domain/measurements/assess";
import type { RuleSample } from "@/domain/alert-rules/rule";
import { nameOf } from "@/domain/measurements/quality";
import { VARIABLE_CODE } from "@/domain/measurements/types";
import { TRUSTED_CODES } from "@/server/analytics/sql";

/** Trusted flow readings of a point in [from, to] (sorted): whether the pump ran, for schedules and previews. */
export async function loadFlowSamples(
  db: pg.PoolClient | pg.Pool,
  pointId: number,
  from: Date,
  to: Date,
): Promise<RuleSample[]> {
  const { rows } = await db.query<{ ms: string; value: number }>(
    `SELECT extract(epoch FROM ts) * 1000 AS ms, value FROM measurement
     WHERE point_id = $1 AND variable = $2 AND ts >= $3 AND ts <= $4 AND value IS NOT NULL AND quality = ANY($5::smallint[])
     ORDER BY ts`,
    [pointId, VARIABLE_CODE.flow, from, to, TRUSTED_CODES],
  );
  return rows.map((r) => ({ ts: new Date(Number(r.ms)), value: Number(r.value) }));
}

/** Assessed readings of one series in [from, to] as the built-in rules see them (all qualities). */
export async function loadSeriesRows(
  db: pg.PoolClient | pg.Pool,
  pointId: number,
  variable: keyof typeof VARIABLE_CODE,
  from: Date,
  to: Date,
): Promise<SeriesRow[]> {
  const { rows } = await db.query<{ ms: string; value: number | null; quality: number }>(
    `SELECT extract(epoch FROM ts) * 1000 AS ms, value, quality FROM measurement
     WHERE point_id = $1 AND variable = $2 AND ts >= $3 AND ts <= $4 ORDER BY ts`,
    [pointId, VARIABLE_CODE[variable], from, to],
  );
  return rows.map((r) => ({
    ts: new Date(Number(r.ms)),
    value: r.value === null ? null : Number(r.value),
    rawValue: r.value === null ? null : String(r.value),
    quality: nameOf(r.quality),
    reason: null,
  }));
}

/** The group of each point (a point is in at most one). */
export async function groupsOf(db: pg.PoolClient | pg.Pool, pointIds: readonly number[]): Promise<Map<number, number>> {
  if (pointIds.length === 0) return new Map();
  const { rows } = await db.query<{ point_id: number; group_id: number }>(
    `SELECT point_id, group_id FROM point_group_member WHERE point_id = ANY($1::int[])`,
    [[...new Set(pointIds)]],
  );
  return new Map(rows.map((r) => [r.point_id, r.group_id]));
}
