import type pg from "pg";
import { utcBucketStart, type BucketSize } from "@/domain/measurements/aggregate";
import { bucketConsumption, consumptionDeltas } from "@/domain/measurements/consumption";
import { nameOf, type QualityName } from "@/domain/measurements/quality";
import { VARIABLE_CODE } from "@/domain/measurements/types";
import type { BucketRow, HistoryQuery } from "./history";
import { daySeriesRows, hourSeriesRows } from "./history-series";
import { SANTIAGO, TRUSTED_CODES, num, qualityRankSql } from "./sql";

export const FIXED_MIN: Record<Exclude<BucketSize, "month" | "day">, number> = {
  minute: 1,
  "5min": 5,
  "15min": 15,
  hour: 60,
};

const EPOCH_MS = (expr: string) => `(extract(epoch FROM ${expr}) * 1000)::float8`;

interface AggRow {
  variable: number;
  /** Bucket start, epoch ms (float8: pg's timestamptz parser costs about half of a year's read). */
  b: number;
  min: number | null;
  max: number | null;
  avg: number | null;
  last: number | null;
  count: string | number;
  excluded: string | number;
  consumption_m3: number | null;
  wq: number | null;
}

export function toBucketRow(r: AggRow, worst: QualityName): BucketRow {
  return {
    t: new Date(r.b),
    min: num(r.min),
    max: num(r.max),
    avg: num(r.avg),
    last: num(r.last),
    count: Number(r.count),
    excluded: Number(r.excluded),
    consumptionM3: r.variable === VARIABLE_CODE.totalizer ? (num(r.consumption_m3) ?? 0) : null,
    worstQuality: worst,
    flagged: worst !== "ok",
  };
}

export async function aggregated(
  pool: pg.Pool,
  pointId: number,
  codes: number[],
  from: Date,
  to: Date,
  bucket: BucketSize,
): Promise<AggRow[]> {
  const params = [pointId, codes, from, to];
  // worst_quality is a code below 100, which qualityFromRank reads as its own rank.
  if (bucket === "day") return daySeriesRows(pool, pointId, codes, from, to);
  if (bucket === "hour") return hourSeriesRows(pool, pointId, codes, from, to);
  if (bucket === "month") {
    const monthOf = (col: string) =>
      `(date_trunc('month', ${col} AT TIME ZONE '${SANTIAGO}') AT TIME ZONE '${SANTIAGO}')`;
    const r = await pool.query<AggRow>(
      `SELECT variable, ${EPOCH_MS(monthOf("bucket"))} AS b, min(min) AS min, max(max) AS max,
              sum(avg * count) FILTER (WHERE avg IS NOT NULL) / nullif(sum(count) FILTER (WHERE avg IS NOT NULL), 0) AS avg,
              (array_agg(last ORDER BY bucket DESC) FILTER (WHERE last IS NOT NULL))[1] AS last,
              sum(count) AS count, sum(excluded) AS excluded, sum(consumption_m3) AS consumption_m3, max(${qualityRankSql("worst_quality")}) AS wq
       FROM measurement_daily WHERE point_id = $1 AND variable = ANY($2::smallint[]) AND bucket >= ${monthOf("$3::timestamptz")} AND bucket < $4
       GROUP BY variable, 2 ORDER BY variable, 2`,
      params,
    );
    return r.rows;
  }
  const r = await pool.query<AggRow>(
    `SELECT variable, ${EPOCH_MS("date_bin(make_interval(mins => $5), ts, TIMESTAMPTZ '2000-01-01 00:00:00+00')")} AS b,
            min(value) FILTER (WHERE ok) AS min, max(value) FILTER (WHERE ok) AS max, avg(value) FILTER (WHERE ok) AS avg,
            (array_agg(value ORDER BY ts DESC) FILTER (WHERE ok))[1] AS last,
            count(*) FILTER (WHERE ok) AS count, count(*) FILTER (WHERE NOT ok) AS excluded, NULL::float8 AS consumption_m3, max(rank) AS wq
     FROM (SELECT variable, ts, value, value IS NOT NULL AND quality = ANY($6::smallint[]) AS ok, ${qualityRankSql("quality")} AS rank
           FROM measurement WHERE point_id = $1 AND variable = ANY($2::smallint[]) AND ts >= $3 AND ts < $4) m
     GROUP BY variable, 2 ORDER BY variable, 2`,
    [...params, FIXED_MIN[bucket], TRUSTED_CODES],
  );
  return r.rows;
}

/** Sub-hour consumption is computed from the raw totalizer with the domain maths (apportioned by time). */
export async function fillFineConsumption(
  pool: pg.Pool,
  q: HistoryQuery,
  bucket: BucketSize,
  rows: BucketRow[],
): Promise<void> {
  const { rows: raw } = await pool.query<{ ts: Date; value: number | null; quality: number }>(
    `(SELECT ts, value, quality FROM measurement WHERE point_id = $1 AND variable = 2 AND ts < $2 AND ts > $2::timestamptz - interval '31 days'
        AND value IS NOT NULL ORDER BY ts DESC LIMIT 1)
     UNION ALL (SELECT ts, value, quality FROM measurement WHERE point_id = $1 AND variable = 2 AND ts >= $2 AND ts < $3 ORDER BY ts)`,
    [q.pointId, q.from, q.to],
  );
  const deltas = consumptionDeltas({
    rows: raw.map((r) => ({ ts: r.ts, value: num(r.value), rawValue: null, quality: nameOf(r.quality), reason: null })),
  });
  const volumes = new Map(
    bucketConsumption(deltas, utcBucketStart(bucket)).map((b) => [b.bucketStart.getTime(), b.volumeM3]),
  );
  const first = utcBucketStart(bucket)(q.from).getTime();
  const present = new Set(rows.map((r) => r.t.getTime()));
  for (const r of rows) r.consumptionM3 = volumes.get(r.t.getTime()) ?? 0;
  // Buckets between two readings still drew water: they get a row with no statistics.
  for (const [t, v] of volumes) {
    if (present.has(t) || t < first || t >= q.to.getTime()) continue;
    rows.push({
      t: new Date(t),
      min: null,
      max: null,
      avg: null,
      last: null,
      count: 0,
      excluded: 0,
      consumptionM3: v,
      worstQuality: "ok",
      flagged: false,
    });
  }
  rows.sort((a, b) => a.t.getTime() - b.t.getTime());
}
