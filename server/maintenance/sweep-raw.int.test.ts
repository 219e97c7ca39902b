import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Queue } from "bullmq";
import { closeAll, getDb, truncateAll } from "@/test/db";
import { getPgPool } from "@/server/pg";
import { getRedis } from "@/server/redis";
import { closeQueues, getQueue, queueConnection, queuePrefix } from "@/server/queues/connection";
import { insertRawPayloads } from "@/server/ingest/raw-store";
import { keepJobSchedulers } from "@/server/jobs/schedulers";
import { BindingCache } from "@/server/processing/bindings";
import { processRawJob, type ProcessRawJob } from "@/server/processing/jobs";
import { processRawBatch } from "@/server/processing/pipeline";
import { minuteSeries, seedTagoClient, tagoBody } from "@/server/processing/test-fixtures";
import { sweepRaw } from "./sweep-raw";

const MIN_MS = 60_000;
let accountId = 0;
let deviceRef = "";

beforeAll(async () => {
  await truncateAll();
  const s = await seedTagoClient(getDb(), { tag: "sweep", points: 1 });
  accountId = s.accountId;
  deviceRef = s.points[0]!.deviceRef;
});
afterAll(async () => {
  await closeQueues();
  await closeAll();
});

const raw = (minutesAgo: number, hour: number, status: "accepted" | "rejected" = "accepted") => ({
  provider: "tago",
  accountId,
  bindingId: null,
  transport: "pull" as const,
  status,
  body: tagoBody(minuteSeries(deviceRef, new Date(Date.UTC(2026, 9, 1, hour)), 5)),
  receivedAt: new Date(Date.now() - minutesAgo * MIN_MS),
});

describe("sweep-raw", () => {
  it("re-enqueues only accepted, unprocessed payloads older than the threshold; processing them empties the sweep", async () => {
    const pool = getPgPool();
    const [old1, old2, fresh, rejected, done] = await insertRawPayloads(pool, [
      raw(3, 1),
      raw(10, 2),
      raw(0.5, 3),
      raw(5, 4, "rejected"),
      raw(5, 5),
    ]);
    await pool.query(`UPDATE raw_payload SET status = 'processed', processed_at = now() WHERE id = $1`, [done]);

    const captured: ProcessRawJob[] = [];
    const now = new Date();
    const r = await sweepRaw(pool, now, { payloadsPerJob: 1 }, async (jobs) => void captured.push(...jobs));
    expect(r).toEqual({ requeued: 2, jobs: 2 });
    expect(captured.flatMap((j) => j.rawIds)).toEqual([old1, old2]);
    expect(captured.flatMap((j) => j.rawIds)).not.toContain(fresh);
    expect(captured.flatMap((j) => j.rawIds)).not.toContain(rejected);

    await sweepRaw(pool, now);
    await sweepRaw(pool, now); // same minute: collapses onto the queued job
    const queued = await getQueue(processRawJob.queue).getJobs(["wait", "delayed", "prioritized"]);
    const round = `sweep-${Math.floor(now.getTime() / MIN_MS)}`;
    expect(queued.map((j) => [j.id, j.data])).toEqual([[`raw-${old1}-2-${round}`, { rawIds: [old1, old2], round }]]);

    const deps = { pool, redis: getRedis(), prefix: queuePrefix(), bindings: new BindingCache(pool, 0) };
    const stats = await processRawBatch(deps, queued[0]!.data.rawIds);
    expect(stats.inserted).toBe(2 * 5 * 4);
    expect(await sweepRaw(pool, new Date(), {}, async () => {})).toEqual({ requeued: 0, jobs: 0 });
    expect((await processRawBatch(deps, [old1!, old2!])).skipped).toBe(2); // a second enqueue is harmless
  });

  it("job schedulers lost with Redis are re-created; existing ones keep their next run", async () => {
    const queue = new Queue(`sweep-sched-${Date.now()}`, { connection: queueConnection(), prefix: queuePrefix() });
    try {
      const kept = await keepJobSchedulers(
        queue,
        [
          { id: "every-hour", repeat: { every: 3600_000 }, template: { name: "t", data: { task: "x" } } },
          { id: "nightly", repeat: { pattern: "0 3 * * *", tz: "America/Santiago" }, template: { name: "n" } },
        ],
        { checkEveryMs: 200 },
      );
      const before = await queue.getJobScheduler("nightly");
      expect(before?.next).toBeGreaterThan(Date.now());
      expect(await kept.reassert()).toEqual([]);
      expect((await queue.getJobScheduler("nightly"))?.next).toBe(before?.next);

      await queue.obliterate({ force: true }); // what a Redis restart without persistence does to the queue
      expect(await queue.getJobSchedulers()).toEqual([]);
      const end = Date.now() + 5_000;
      while ((await queue.getJobSchedulers()).length < 2 && Date.now() < end)
        await new Promise((r) => setTimeout(r, 100));
      kept.stop();
      expect((await queue.getJobSchedulers()).map((s) => s.key).sort()).toEqual(["every-hour", "nightly"]);
      expect(await queue.getJobCountByTypes("delayed", "wait", "prioritized")).toBeGreaterThanOrEqual(2);
    } finally {
      await queue.obliterate({ force: true });
      await queue.close();
    }
  });
});
