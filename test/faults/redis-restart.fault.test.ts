import { afterAll, beforeAll, expect, it } from "vitest";
import { closeAll, getDb, truncateAll } from "@/test/db";
import { closeQueues, getQueue } from "@/server/queues/connection";
import { maintenanceJob } from "@/server/maintenance/jobs";
import { processRawJob } from "@/server/processing/jobs";
import { seedTagoClient } from "@/server/processing/test-fixtures";
import { FULL, groupAlive, sleep, waitFor, WorkerChildren } from "./children";
import { ensureRedis, stopRedisNoSave } from "./services";
import { expectExactlyOnce, queueBusy, startProducer, unprocessedCount, waitDrained, waitQueueIdle } from "./load";

const POINTS = 6;
const PRODUCE_BEFORE_MS = FULL ? 15_000 : 4_000;
const REDIS_DOWN_MS = FULL ? 5_000 : 1_500;
const PRODUCE_AFTER_MS = FULL ? 15_000 : 3_000;
const children = new WorkerChildren();

beforeAll(async () => {
  await ensureRedis();
  await truncateAll();
});
afterAll(async () => {
  await ensureRedis();
  await children.stopAll();
  await closeQueues();
  await closeAll();
});

it("Redis restarted without persistence under load: the sweeper recovers the lost jobs, every reading lands exactly once", async () => {
  const s = await seedTagoClient(getDb(), { tag: "redis", points: POINTS });
  const worker = children.start({ WORKERS: "processor,maintenance", WORKER_CONCURRENCY: "2", PROCESSOR_BATCH: "5" });
  const maintenance = getQueue(maintenanceJob.queue);
  for (const q of [maintenance, getQueue(processRawJob.queue)]) q.on("error", () => {}); // connection errors while Redis is down are expected
  await waitFor(
    async () => (await maintenance.getJobScheduler("maintenance-sweep-raw")) !== undefined,
    60_000,
    "worker up (sweep-raw scheduled)",
  );

  const producer = startProducer({
    accountId: s.accountId,
    devices: s.points.map((p) => p.deviceRef),
    minutesPerPayload: 10,
    pauseMs: 0,
  });
  let backlogAtShutdown = 0;
  try {
    await sleep(PRODUCE_BEFORE_MS);
    backlogAtShutdown = await getQueue(processRawJob.queue).getJobCountByTypes("wait", "prioritized");
    await stopRedisNoSave();
    await sleep(REDIS_DOWN_MS);
  } finally {
    await ensureRedis();
  }
  await sleep(PRODUCE_AFTER_MS);
  const stats = await producer.stop();
  expect(backlogAtShutdown).toBeGreaterThan(0);
  expect(stats.payloads).toBeGreaterThan(50);

  // The jobs queued at shutdown are gone: once the queue is idle, their payloads are still unprocessed.
  await waitQueueIdle(120_000);
  expect(await unprocessedCount()).toBeGreaterThan(0);
  // The worker re-creates its maintenance schedulers on its own (Redis forgot them).
  const wanted = [
    "maintenance-notifications",
    "maintenance-offline",
    "maintenance-partitions",
    "maintenance-sweep-raw",
  ];
  await waitFor(
    async () =>
      (await maintenance.getJobSchedulers())
        .map((j) => j.key)
        .sort()
        .join() === wanted.join(),
    30_000,
    "maintenance schedulers re-created",
  );

  // The periodic sweep only takes payloads older than 2 min; run it now instead of waiting.
  await maintenance.add(
    "sweep-raw",
    { task: "sweep-raw", sweepOlderThanMs: 0 },
    { jobId: "fault-sweep-now", attempts: 1 },
  );
  await waitDrained(120_000);
  expect(await queueBusy()).toBe(0);
  await expectExactlyOnce(s.points, stats);
  expect(await getQueue(processRawJob.queue).getJobCountByTypes("failed")).toBe(0);
  expect(groupAlive(worker)).toBe(true);
});
