import type pg from "pg";
import { AppError } from "@/domain/errors";
import {
  BUCKET_SIZES,
  pickBucket,
  utcBucketStart,
  type BucketSize,
  type BucketStats,
} from "@/domain/measurements/aggregate";
import { bucketConsumption, consumptionDeltas } from "@/domain/measurements/consumption";
import { nameOf, type QualityName } from "@/domain/measurements/quality";
import { VARIABLES, VARIABLE_CODE, type Variable } from "@/domain/measurements/types";
import { csvRow } from "@/domain/csv";
import { daySeriesRows, hourSeriesRows } from "./history-series";
import { SANTIAGO, TRUSTED_CODES, UNIT_OF, num, qualityFromRank, qualityRankSql, variableOf } from "./sql";

export const HISTORY_BUCKETS = ["raw", ...BUCKET_SIZES] as const;
export type HistoryBucket = (typeof HISTORY_BUCKETS)[number];
const MAX_AUTO_BUCKETS = 1000;
const MAX_EXPLICIT_BUCKETS = 20_000;
const MAX_RAW_ROWS = 50_000;

export interface BucketRow extends Omit<BucketStats, "bucketStart"> {
  t: Date;
  /** Totalizer only: volume drawn in the bucket (m3). */
  consumptionM3: number | null;
  flagged: boolean;
}
export interface RawRow {
  t: Date;
  value: number | null;
  quality: QualityName;
  reason: string | null;
  flagged: boolean;
  /** includeRaw, flagged rows only: the value exactly as the provider sent it ("ERR", "-3", "-9999") and its unit. */
  rawValue?: string | null;
  rawUnit?: string | null;
}
/** A flagged reading with its provider value (includeRaw): what an error code or a spike really was. */
interface FlaggedReading {
  t: Date;
  quality: QualityName;
  reason: string | null;
  rawValue: string | null;
  rawUnit: string | null;
}
interface HistorySeries {
  variable: Variable;
  unit: string;
  rows: (BucketRow | RawRow)[];
  /** includeRaw with a bucketed history: the flagged readings of the range (at most MAX_FLAGGED_ROWS). */
  flagged?: FlaggedReading[];
}
export interface HistoryResult {
  pointId: number;
  from: Date;
  to: Date;
  bucket: HistoryBucket;
  auto: boolean;
  /** Time zone the buckets are aligned to (hourly and finer: UTC; day and month: America/Santiago). */
  bucketTimeZone: "UTC" | typeof SANTIAGO;
  truncated: boolean;
  series: HistorySeries[];
}

export interface HistoryQuery {
  pointId: number;
  from: Date;
  to: Date;
  bucket?: HistoryBucket;
  variables?: Variable[];
  /** Opt-in: raw provider values and reasons of flagged readings. */
  includeRaw?: boolean;
}

const MAX_FLAGGED_ROWS = 5_000;

const EPOCH_MS = (expr: string) => `(extract(epoch FROM ${expr}) * 1000)::float8`;

const FIXED_MIN: Record<Exclude<BucketSize, "month" | "day">, number> = { minute: 1, "5min": 5, "15min": 15, hour: 60 };

/** Buckets of size over [from, to) counted on UTC boundaries (day/month: upper bound). */
function approxBuckets(size: BucketSize, from: Date, to: Date): number {
  const minutes = (to.getTime() - from.getTime()) / 60_000;
  if (size === "month") return Math.ceil(minutes / (28 * 1440)) + 1;
  if (size === "day") return Math.ceil(minutes / 1440) + 1;
  return Math.ceil(minutes / FIXED_MIN[size]) + 1;
}

/** Resolves the bucket: explicit, or the finest with ≤ 1,000 buckets (one spare for Santiago-aligned days/months). */
export function resolveBucket(q: Pick<HistoryQuery, "from" | "to" | "bucket">): {
  bucket: HistoryBucket;
  auto: boolean;
} {
  if (q.bucket) {
    if (q.bucket !== "raw" && approxBuckets(q.bucket, q.from, q.to) > MAX_EXPLICIT_BUCKETS)
      throw new AppError("BAD_INPUT", `Demasiados intervalos para "${q.bucket}" en ese rango; use un intervalo mayor`);
    return { bucket: q.bucket, auto: false };
  }
  return { bucket: pickBucket(q.from.getTime(), q.to.getTime(), MAX_AUTO_BUCKETS - 1), auto: true };
}

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

function toBucketRow(r: AggRow, worst: QualityName): BucketRow {
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

export async function pointHistory(pool: pg.Pool, q: HistoryQuery): Promise<HistoryResult> {
  if (!(q.to > q.from)) throw new AppError("BAD_INPUT", "El rango de fechas es inválido (from debe ser anterior a to)");
  const { bucket, auto } = resolveBucket(q);
  const variables = q.variables?.length ? q.variables : [...VARIABLES];
  const codes = variables.map((v) => VARIABLE_CODE[v]);
  const bySeries = new Map<Variable, (BucketRow | RawRow)[]>(variables.map((v) => [v, []]));
  let truncated = false;

  if (bucket === "raw") {
    const { rows } = await pool.query<{
      variable: number;
      ts: Date;
      value: number | null;
      quality: number;
      reason: string | null;
      raw_value: string | null;
      raw_unit: string | null;
    }>(
      `SELECT variable, ts, value, quality, reason, raw_value, raw_unit FROM measurement WHERE point_id = $1 AND variable = ANY($2::smallint[]) AND ts >= $3 AND ts < $4
       ORDER BY variable, ts LIMIT ${MAX_RAW_ROWS + 1}`,
      [q.pointId, codes, q.from, q.to],
    );
    truncated = rows.length > MAX_RAW_ROWS;
    for (const r of rows.slice(0, MAX_RAW_ROWS)) {
      const quality = nameOf(r.quality);
      const row: RawRow = { t: r.ts, value: num(r.value), quality, reason: r.reason, flagged: quality !== "ok" };
      if (q.includeRaw && row.flagged) Object.assign(row, { rawValue: r.raw_value, rawUnit: r.raw_unit });
      bySeries.get(variableOf(r.variable))?.push(row);
    }
  } else {
    const rows = await aggregated(pool, q.pointId, codes, q.from, q.to, bucket);
    for (const r of rows) bySeries.get(variableOf(r.variable))?.push(toBucketRow(r, qualityFromRank(r.wq)));
    if ((bucket === "minute" || bucket === "5min" || bucket === "15min") && variables.includes("totalizer")) {
      await fillFineConsumption(pool, q, bucket, bySeries.get("totalizer") as BucketRow[]);
    }
  }
  const flagged = q.includeRaw && bucket !== "raw" ? await flaggedReadings(pool, q.pointId, codes, q.from, q.to) : null;
  if (flagged?.truncated) truncated = true;
  return {
    pointId: q.pointId,
    from: q.from,
    to: q.to,
    bucket,
    auto,
    bucketTimeZone: bucket === "day" || bucket === "month" ? SANTIAGO : "UTC",
    truncated,
    series: variables.map((v) => ({
      variable: v,
      unit: UNIT_OF[v],
      rows: bySeries.get(v) ?? [],
      ...(flagged ? { flagged: flagged.byVariable.get(v) ?? [] } : {}),
    })),
  };
}

async function flaggedReadings(
  pool: pg.Pool,
  pointId: number,
  codes: number[],
  from: Date,
  to: Date,
): Promise<{ byVariable: Map<Variable, FlaggedReading[]>; truncated: boolean }> {
  const { rows } = await pool.query<{
    variable: number;
    ts: Date;
    quality: number;
    reason: string | null;
    raw_value: string | null;
    raw_unit: string | null;
  }>(
    `SELECT variable, ts, quality, reason, raw_value, raw_unit FROM measurement WHERE point_id = $1 AND variable = ANY($2::smallint[]) AND ts >= $3 AND ts < $4 AND quality <> 0
     ORDER BY variable, ts LIMIT ${MAX_FLAGGED_ROWS + 1}`,
    [pointId, codes, from, to],
  );
  const byVariable = new Map<Variable, FlaggedReading[]>();
  for (const r of rows.slice(0, MAX_FLAGGED_ROWS)) {
    const v = variableOf(r.variable);
    const list = byVariable.get(v) ?? [];
    list.push({ t: r.ts, quality: nameOf(r.quality), reason: r.reason, rawValue: r.raw_value, rawUnit: r.raw_unit });
    byVariable.set(v, list);
  }
  return { byVariable, truncated: rows.length > MAX_FLAGGED_ROWS };
}

async function aggregated(
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
async function fillFineConsumption(
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

/** Machine CSV (comma separator, dot decimals, ISO UTC instants), one row per variable and bucket or reading. */
export function historyCsv(h: HistoryResult): string {
  const lines: string[] = [];
  if (h.bucket === "raw") {
    lines.push("point_id,variable,unit,ts,value,quality,reason");
    for (const s of h.series)
      for (const r of s.rows as RawRow[])
        lines.push(csvRow([h.pointId, s.variable, s.unit, r.t, r.value, r.quality, r.reason]));
  } else {
    lines.push(
      "point_id,variable,unit,bucket,bucket_start,min,max,avg,last,count,excluded,consumption_m3,worst_quality",
    );
    for (const s of h.series)
      for (const r of s.rows as BucketRow[])
        lines.push(
          csvRow([
            h.pointId,
            s.variable,
            s.unit,
            h.bucket,
            r.t,
            r.min,
            r.max,
            r.avg,
            r.last,
            r.count,
            r.excluded,
            r.consumptionM3,
            r.worstQuality,
          ]),
        );
  }
  return `${lines.join("\r\n")}\r\n`;
}
