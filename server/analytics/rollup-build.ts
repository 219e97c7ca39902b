import type pg from "pg";
import { QUALITY_NAMES, QUALITY, QUALITY_SEVERITY } from "@/domain/measurements/quality";
import { rebuildDaySeries } from "./history-series";
import { SANTIAGO, TRUSTED_CODES, qualityRankSql } from "./sql";

const CONSUMPTION_CODES = QUALITY_NAMES.filter((n) => QUALITY_SEVERITY[n] <= QUALITY_SEVERITY.duplicate_conflict).map(
  (n) => QUALITY[n],
);

/**
 * Bulk (re)build of hourly and daily rollups (and the day series) straight from `measurement`, in SQL. For seeding
 * benchmarks and tests only — live rollups are kept by the processor. Simplification: a totalizer
 * delta is booked to the hour of its later reading (not apportioned across hours).
 */
export async function rebuildRollups(pool: pg.Pool, pointIds: number[], from: Date, to: Date): Promise<void> {
  await pool.query(
    `INSERT INTO measurement_hourly (point_id, variable, bucket, min, max, avg, last, count, excluded, consumption_m3, worst_quality)
     SELECT point_id, variable, date_trunc('hour', ts),
            min(value) FILTER (WHERE ok), max(value) FILTER (WHERE ok), avg(value) FILTER (WHERE ok),
            (array_agg(value ORDER BY ts DESC) FILTER (WHERE ok))[1],
            count(*) FILTER (WHERE ok), count(*) FILTER (WHERE NOT ok),
            CASE WHEN variable = 2 THEN coalesce(sum(delta), 0) END, max(rank) % 100
     FROM (SELECT point_id, variable, ts, value, ok, rank,
                  CASE WHEN variable = 2 AND cons THEN greatest(0, value - lag(value) OVER (PARTITION BY point_id, variable, cons ORDER BY ts)) END AS delta
           FROM (SELECT point_id, variable, ts, value, value IS NOT NULL AND quality = ANY($4::smallint[]) AS ok,
                        value IS NOT NULL AND quality = ANY($5::smallint[]) AS cons, ${qualityRankSql("quality")} AS rank
                 FROM measurement WHERE point_id = ANY($1::int[]) AND ts >= $2 AND ts < $3) s) m
     GROUP BY point_id, variable, 3
     ON CONFLICT (point_id, variable, bucket) DO UPDATE SET min = EXCLUDED.min, max = EXCLUDED.max, avg = EXCLUDED.avg, last = EXCLUDED.last,
       count = EXCLUDED.count, excluded = EXCLUDED.excluded, consumption_m3 = EXCLUDED.consumption_m3, worst_quality = EXCLUDED.worst_quality, updated_at = now()`,
    [pointIds, from, to, TRUSTED_CODES, CONSUMPTION_CODES],
  );
  await pool.query(
    `INSERT INTO measurement_daily (point_id, variable, bucket, min, max, avg, last, count, excluded, consumption_m3, worst_quality)
     SELECT point_id, variable, date_trunc('day', bucket AT TIME ZONE '${SANTIAGO}') AT TIME ZONE '${SANTIAGO}',
            min(min), max(max), sum(avg * count) FILTER (WHERE avg IS NOT NULL) / nullif(sum(count) FILTER (WHERE avg IS NOT NULL), 0),
            (array_agg(last ORDER BY bucket DESC) FILTER (WHERE last IS NOT NULL))[1],
            sum(count), sum(excluded), sum(consumption_m3), max(${qualityRankSql("worst_quality")}) % 100
     FROM measurement_hourly
     WHERE point_id = ANY($1::int[]) AND bucket >= (date_trunc('day', $2::timestamptz AT TIME ZONE '${SANTIAGO}') AT TIME ZONE '${SANTIAGO}') AND bucket < $3
     GROUP BY point_id, variable, 3
     ON CONFLICT (point_id, variable, bucket) DO UPDATE SET min = EXCLUDED.min, max = EXCLUDED.max, avg = EXCLUDED.avg, last = EXCLUDED.last,
       count = EXCLUDED.count, excluded = EXCLUDED.excluded, consumption_m3 = EXCLUDED.consumption_m3, worst_quality = EXCLUDED.worst_quality, updated_at = now()`,
    [pointIds, from, to],
  );
  await rebuildDaySeries(pool, pointIds, from, to);
}
