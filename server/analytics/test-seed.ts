import type pg from "pg";
import { QUALITY, type QualityName } from "@/domain/measurements/quality";
import { VARIABLE_CODE, type Variable } from "@/domain/measurements/types";

export interface SeedRow {
  pointId: number;
  variable: Variable;
  ts: string | Date;
  value: number | null;
  quality?: QualityName;
  reason?: string | null;
}

/** Inserts measurement rows directly (test seeding; the processor is not involved). */
export async function insertMeasurements(pool: pg.Pool, rows: readonly SeedRow[]): Promise<void> {
  if (rows.length === 0) return;
  await pool.query(
    `INSERT INTO measurement (point_id, variable, ts, value, quality, reason, source)
     SELECT * FROM unnest($1::int[], $2::smallint[], $3::timestamptz[], $4::float8[], $5::smallint[], $6::text[], $7::text[])`,
    [
      rows.map((r) => r.pointId),
      rows.map((r) => VARIABLE_CODE[r.variable]),
      rows.map((r) => new Date(r.ts)),
      rows.map((r) => r.value),
      rows.map((r) => QUALITY[r.quality ?? "ok"]),
      rows.map((r) => r.reason ?? null),
      rows.map(() => "test"),
    ],
  );
}

/** Inserts hourly rollup rows (avg only matters for the baseline). */
export async function insertHourly(
  pool: pg.Pool,
  pointId: number,
  variable: Variable,
  rows: readonly { bucket: Date; value: number }[],
): Promise<void> {
  await pool.query(
    `INSERT INTO measurement_hourly (point_id, variable, bucket, min, max, avg, last, count, worst_quality)
     SELECT $1, $2, b, v, v, v, v, 1, 0 FROM unnest($3::timestamptz[], $4::float8[]) AS t(b, v)
     ON CONFLICT (point_id, variable, bucket) DO UPDATE SET avg = EXCLUDED.avg, min = EXCLUDED.min, max = EXCLUDED.max, last = EXCLUDED.last`,
    [pointId, VARIABLE_CODE[variable], rows.map((r) => r.bucket), rows.map((r) => r.value)],
  );
}
