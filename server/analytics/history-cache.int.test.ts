import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeAll, getDb, truncateAll } from "@/test/db";
import { getPgPool } from "@/server/pg";
import { getRedis } from "@/server/redis";
import { pointHistory, type BucketRow } from "@/server/analytics/history";
import {
  HistoryCache,
  cachedPointHistory,
  historyVersionKey,
  type HistoryCacheDeps,
} from "@/server/analytics/history-cache";
import { BindingCache } from "@/server/processing/bindings";
import { processRawBatch, type PipelineDeps } from "@/server/processing/pipeline";
import { insertTagoRaws, minuteSeries, seedTagoClient, tagoBody } from "@/server/processing/test-fixtures";

const prefix = process.env.REDIS_NAMESPACE!;
const T0 = new Date("2026-03-10T10:00:00Z");
let deps: PipelineDeps;
let cacheDeps: HistoryCacheDeps;
let pointId: number;
let accountId: number;
let device: string;

async function ingest(start: Date, minutes: number): Promise<void> {
  const ids = await insertTagoRaws(getPgPool(), accountId, [tagoBody(minuteSeries(device, start, minutes))]);
  await processRawBatch(deps, ids);
}

beforeAll(async () => {
  await truncateAll();
  deps = {
    pool: getPgPool(),
    redis: getRedis(),
    prefix,
    bindings: new BindingCache(getPgPool(), 0),
    now: () => new Date("2026-03-12T00:00:00Z"),
  };
  const s = await seedTagoClient(getDb(), { tag: "hcache", points: 1 });
  accountId = s.accountId;
  pointId = s.points[0]!.pointId;
  device = s.points[0]!.deviceRef;
  cacheDeps = { cache: new HistoryCache({ maxRows: 10_000, ttlMs: 60_000 }), redis: getRedis(), prefix, nowMs: 0 };
});
afterAll(async () => {
  await getRedis().del(historyVersionKey(prefix, pointId));
  await closeAll();
});

const flowRows = (h: Awaited<ReturnType<typeof pointHistory>>) =>
  h.series.find((s) => s.variable === "flow")!.rows as BucketRow[];

describe("history cache", () => {
  it("the processor bumps the point's version after committing rollups", async () => {
    const before = Number((await getRedis().get(historyVersionKey(prefix, pointId))) ?? 0);
    await ingest(T0, 120);
    expect(Number(await getRedis().get(historyVersionKey(prefix, pointId)))).toBe(before + 1);
  });

  it("serves the same buckets as an uncached read, then from memory within the same minute", async () => {
    const q = {
      pointId,
      from: new Date("2026-03-10T00:00:10Z"),
      to: new Date("2026-03-11T00:00:20Z"),
      bucket: "hour" as const,
    };
    const first = await cachedPointHistory(getPgPool(), q, cacheDeps);
    const plain = await pointHistory(getPgPool(), q);
    expect(first.series).toEqual(plain.series);
    expect(flowRows(first).map((r) => r.count)).toEqual([60, 60]);
    const hits = cacheDeps.cache.stats.hits;
    const again = await cachedPointHistory(getPgPool(), { ...q, to: new Date("2026-03-11T00:00:45Z") }, cacheDeps);
    expect(cacheDeps.cache.stats.hits).toBe(hits + 1);
    expect(again.series).toBe(first.series);
    expect(again.to.toISOString()).toBe("2026-03-11T00:00:45.000Z");
  });

  it("new data for the point is visible on the next read (version bumped by the processor)", async () => {
    const q = {
      pointId,
      from: new Date("2026-03-10T00:00:00Z"),
      to: new Date("2026-03-11T00:00:00Z"),
      bucket: "hour" as const,
    };
    expect(flowRows(await cachedPointHistory(getPgPool(), q, cacheDeps))).toHaveLength(2);
    await ingest(new Date(T0.getTime() + 120 * 60_000), 60);
    const after = await cachedPointHistory(getPgPool(), q, cacheDeps);
    expect(flowRows(after).map((r) => r.count)).toEqual([60, 60, 60]);
  });

  it("raw and sub-hour buckets bypass the cache", async () => {
    const { hits, misses } = cacheDeps.cache.stats;
    const h = await cachedPointHistory(
      getPgPool(),
      { pointId, from: T0, to: new Date(T0.getTime() + 3600_000), bucket: "15min" },
      cacheDeps,
    );
    expect(flowRows(h)).toHaveLength(4);
    expect(cacheDeps.cache.stats).toMatchObject({ hits, misses });
  });
});
