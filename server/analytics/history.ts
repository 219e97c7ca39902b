import type pg from "pg";
import { AppError } from "@/domain/errors";
import { BUCKET_SIZES, pickBucket, type BucketSize, type BucketStats } from "@/domain/measurements/aggregate";
import { nameOf, type QualityName } from "@/domain/measurements/quality";
import { VARIABLES, VARIABLE_CODE, type Variable } from "@/domain/measurements/types";
import { csvRow } from "@/domain/csv";
import { isoOf } from "@/server/http/json-dates";
import { FIXED_MIN, aggregated, fillFineConsumption, toBucketRow } from "./history-buckets";
import { SANTIAGO, UNIT_OF, num, qualityFromRank, variableOf } from "./sql";

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

/** The REST body of a history: the same JSON as the result, with every instant already an ISO string (fast stringify). */
export function historyJson(h: HistoryResult): unknown {
  return {
    ...h,
    series: h.series.map((s) => ({
      ...s,
      rows: s.rows.map((r) => ({ ...r, t: isoOf(r.t) })),
      ...(s.flagged ? { flagged: s.flagged.map((f) => ({ ...f, t: isoOf(f.t) })) } : {}),
    })),
  };
}
