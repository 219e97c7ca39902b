import type { Redis } from "ioredis";
import type pg from "pg";
import { VARIABLES } from "@/domain/measurements/types";
import { metrics } from "@/server/metrics/registry";
import { pointHistory, resolveBucket, type HistoryBucket, type HistoryQuery, type HistoryResult } from "./history";

/**
 * In-process cache of rollup-based histories (hour/day/month buckets), validated on every read against a
 * per-point data version in Redis that the processor bumps after it commits new rollups (ADR 0007).
 * A bump lost to a crash or a Redis outage is bounded by the entry TTL. Raw and sub-hour buckets read
 * `measurement` directly and are not cached.
 */
const CACHED_BUCKETS: ReadonlySet<HistoryBucket> = new Set(["hour", "day", "month"]);

export const historyVersionKey = (prefix: string, pointId: number) => `${prefix}:hv:${pointId}`;

/** Bumps the data version of each point (one pipelined round trip). */
export async function bumpHistoryVersions(redis: Redis, prefix: string, pointIds: Iterable<number>): Promise<void> {
  const pipe = redis.pipeline();
  for (const id of new Set(pointIds)) pipe.incr(historyVersionKey(prefix, id));
  if (pipe.length) await pipe.exec();
}

interface Entry {
  version: string;
  at: number;
  rows: number;
  value: HistoryResult;
}

export interface HistoryCacheOptions {
  maxRows: number;
  ttlMs: number;
}

export interface CacheStats {
  hits: number;
  misses: number;
  entries: number;
  rows: number;
}

/** LRU bounded by the number of bucket rows held (≈150 bytes each). */
export class HistoryCache {
  private readonly map = new Map<string, Entry>();
  private rows = 0;
  readonly stats = { hits: 0, misses: 0 };

  constructor(private readonly opts: HistoryCacheOptions) {}

  get(key: string, version: string, nowMs: number): HistoryResult | undefined {
    const e = this.map.get(key);
    if (!e || e.version !== version || nowMs - e.at > this.opts.ttlMs) {
      if (e) this.delete(key, e);
      this.stats.misses++;
      return undefined;
    }
    this.map.delete(key);
    this.map.set(key, e);
    this.stats.hits++;
    return e.value;
  }

  set(key: string, version: string, nowMs: number, value: HistoryResult): void {
    const rows = value.series.reduce((n, s) => n + s.rows.length, 0);
    if (rows > this.opts.maxRows) return;
    const old = this.map.get(key);
    if (old) this.delete(key, old);
    this.map.set(key, { version, at: nowMs, rows, value });
    this.rows += rows;
    for (const [k, e] of this.map) {
      if (this.rows <= this.opts.maxRows) break;
      this.delete(k, e);
    }
  }

  snapshot(): CacheStats {
    return { ...this.stats, entries: this.map.size, rows: this.rows };
  }

  private delete(key: string, e: Entry): void {
    this.map.delete(key);
    this.rows -= e.rows;
  }
}

export interface HistoryCacheDeps {
  cache: HistoryCache;
  redis: Redis;
  prefix: string;
  nowMs: number;
}

const MINUTE_MS = 60_000;

/**
 * pointHistory through the cache. Rollup buckets start on whole minutes, so `bucket >= trunc(from)` and
 * `bucket < to` select the same buckets with from floored and to ceiled to the minute: a portal asking
 * for "the last year until now" hits the same entry for a minute, then the version decides.
 */
export async function cachedPointHistory(
  pool: pg.Pool,
  q: HistoryQuery,
  c: HistoryCacheDeps | undefined,
): Promise<HistoryResult> {
  if (!c || !(q.to > q.from) || q.includeRaw) return pointHistory(pool, q);
  const { bucket, auto } = resolveBucket(q);
  if (!CACHED_BUCKETS.has(bucket)) return pointHistory(pool, q);
  const from = new Date(Math.floor(q.from.getTime() / MINUTE_MS) * MINUTE_MS);
  const to = new Date(Math.ceil(q.to.getTime() / MINUTE_MS) * MINUTE_MS);
  const variables = q.variables?.length ? q.variables : [...VARIABLES];
  const key = `${q.pointId}|${bucket}|${from.getTime()}|${to.getTime()}|${variables.join(",")}`;
  let version: string;
  try {
    version = (await c.redis.get(historyVersionKey(c.prefix, q.pointId))) ?? "0";
  } catch {
    return pointHistory(pool, q);
  }
  let value = c.cache.get(key, version, c.nowMs);
  metrics.historyCache.inc({ result: value ? "hit" : "miss" });
  if (!value) {
    value = await pointHistory(pool, { pointId: q.pointId, from, to, bucket, variables });
    c.cache.set(key, version, c.nowMs, value);
  }
  return { ...value, from: q.from, to: q.to, auto };
}
