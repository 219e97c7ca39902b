import { isTrustedValue, worse, type QualityName } from "./quality";

export const BUCKET_SIZES = ["minute", "5min", "15min", "hour", "day", "month"] as const;
export type BucketSize = (typeof BUCKET_SIZES)[number];

const MINUTE_MS = 60_000;
const FIXED_MS: Record<Exclude<BucketSize, "month">, number> = {
  minute: MINUTE_MS,
  "5min": 5 * MINUTE_MS,
  "15min": 15 * MINUTE_MS,
  hour: 60 * MINUTE_MS,
  day: 1440 * MINUTE_MS,
};

/**
 * bucketStart function for wall-clock buckets at a fixed UTC offset (minutes east of UTC; DGA's
 * fixed UTC-4 is -240). For a DST zone such as America/Santiago the caller supplies its own function.
 */
export function offsetBucketStart(size: BucketSize, offsetMinutes = 0): (ts: Date) => Date {
  const off = offsetMinutes * MINUTE_MS;
  return (ts) => {
    const local = ts.getTime() + off;
    if (size === "month") {
      const d = new Date(local);
      return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) - off);
    }
    const ms = FIXED_MS[size];
    return new Date(Math.floor(local / ms) * ms - off);
  };
}

/** bucketStart function for UTC buckets. */
export function utcBucketStart(size: BucketSize): (ts: Date) => Date {
  return offsetBucketStart(size, 0);
}

function bucketCount(size: BucketSize, fromMs: number, toMs: number): number {
  const last = toMs - 1;
  if (size === "month") {
    const a = new Date(fromMs);
    const b = new Date(last);
    return (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + b.getUTCMonth() - a.getUTCMonth() + 1;
  }
  const ms = FIXED_MS[size];
  return Math.floor(last / ms) - Math.floor(fromMs / ms) + 1;
}

/** Finest bucket size whose UTC-aligned buckets over [fromMs, toMs) number ≤ maxBuckets ("month" when none does). */
export function pickBucket(fromMs: number, toMs: number, maxBuckets = 1000): BucketSize {
  if (!(toMs > fromMs)) return "minute";
  return BUCKET_SIZES.find((s) => bucketCount(s, fromMs, toMs) <= maxBuckets) ?? "month";
}

export interface BucketStats {
  bucketStart: Date;
  /** Statistics over trusted values only (see isTrustedValue); null when the bucket has none. */
  min: number | null;
  max: number | null;
  /** Arithmetic mean of the samples (not time-weighted). */
  avg: number | null;
  /** Trusted value with the latest ts. */
  last: number | null;
  /** Samples that entered min/max/avg. */
  count: number;
  /** Samples left out of the statistics (null value or untrusted quality). */
  excluded: number;
  /** Worst quality among all samples of the bucket, including excluded ones. */
  worstQuality: QualityName;
}

export interface AggregatableRow {
  ts: Date;
  value: number | null;
  quality: QualityName;
}

/** Buckets a series (units preserved) into min/max/avg/last/count/worstQuality per bucketStart; output sorted by bucket. */
export function aggregateSeries(rows: readonly AggregatableRow[], bucketStart: (ts: Date) => Date): BucketStats[] {
  interface Acc {
    min: number;
    max: number;
    sum: number;
    count: number;
    excluded: number;
    lastTs: number;
    last: number | null;
    worst: QualityName;
  }
  const buckets = new Map<number, Acc>();
  for (const r of rows) {
    const b = bucketStart(r.ts).getTime();
    let a = buckets.get(b);
    if (!a) {
      a = { min: Infinity, max: -Infinity, sum: 0, count: 0, excluded: 0, lastTs: -Infinity, last: null, worst: "ok" };
      buckets.set(b, a);
    }
    a.worst = worse(a.worst, r.quality);
    if (r.value === null || !isTrustedValue(r.quality)) {
      a.excluded++;
      continue;
    }
    const t = r.ts.getTime();
    a.min = Math.min(a.min, r.value);
    a.max = Math.max(a.max, r.value);
    a.sum += r.value;
    a.count++;
    if (t > a.lastTs || (t === a.lastTs && a.last !== null && r.value > a.last)) {
      a.lastTs = t;
      a.last = r.value;
    }
  }
  return [...buckets.entries()]
    .sort((x, y) => x[0] - y[0])
    .map(([b, a]) => ({
      bucketStart: new Date(b),
      min: a.count ? a.min : null,
      max: a.count ? a.max : null,
      avg: a.count ? a.sum / a.count : null,
      last: a.last,
      count: a.count,
      excluded: a.excluded,
      worstQuality: a.worst,
    }));
}

/**
 * Largest-Triangle-Three-Buckets downsampling for charts: keeps the first and last points and, per
 * bucket, the point forming the largest triangle with its neighbours. Input must be sorted by x.
 */
export function lttb<T>(points: readonly T[], threshold: number, x: (p: T) => number, y: (p: T) => number): T[] {
  const n = points.length;
  if (threshold >= n) return points.slice();
  if (threshold <= 0) return [];
  if (threshold === 1) return [points[0]!];
  if (threshold === 2) return [points[0]!, points[n - 1]!];
  const out: T[] = [points[0]!];
  const every = (n - 2) / (threshold - 2);
  let a = 0;
  for (let i = 0; i < threshold - 2; i++) {
    const nextStart = Math.floor((i + 1) * every) + 1;
    const nextEnd = Math.min(Math.floor((i + 2) * every) + 1, n);
    let avgX = 0;
    let avgY = 0;
    for (let j = nextStart; j < nextEnd; j++) {
      avgX += x(points[j]!);
      avgY += y(points[j]!);
    }
    const len = nextEnd - nextStart;
    avgX /= len;
    avgY /= len;
    const start = Math.floor(i * every) + 1;
    const end = Math.floor((i + 1) * every) + 1;
    const ax = x(points[a]!);
    const ay = y(points[a]!);
    let best = start;
    let bestArea = -1;
    for (let j = start; j < end; j++) {
      const area = Math.abs((ax - avgX) * (y(points[j]!) - ay) - (ax - x(points[j]!)) * (avgY - ay));
      if (area > bestArea) {
        bestArea = area;
        best = j;
      }
    }
    out.push(points[best]!);
    a = best;
  }
  out.push(points[n - 1]!);
  return out;
}
