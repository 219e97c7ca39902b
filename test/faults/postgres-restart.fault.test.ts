import { afterAll, beforeAll, expect, it } from "vitest";
import { closeAll, getDb, truncateAll } from "@/test/db";
import { getPgPool } from "@/server/pg";
import { closeQueues, getQueue } from "@/server/queues/connection";
import { maintenanceJob } from "@/server/maintenance/jobs";
import { processRawJob } from "@/server/processing/jobs";
import { seedTagoClient } from "@/server/processing/test-fixtures";
import { FULL, groupAlive, sleep, waitFor, WorkerChildren } from "./children";
import { ensurePostgres, pgCtl } from "./services";
import { expectExactlyOnce, startProducer, waitDrained } from "./load";

const POINTS = 6;
const PRODUCE_BEFORE_MS = FULL ? 15_000 : 3_000;
const PRODUCE_AFTER_MS = FULL ? 15_000 : 3_000;
const children = new WorkerChildren();

beforeAll(async () => {
  await ensurePostgres();
  await truncateAll();
});
afterAll(async () => {
  await ensurePostgres();
  await children.stopAll();
  await closeQueues();
  await closeAll();
});

it("PostgreSQL restarted under load: workers and the test's pools recover, every reading lands exactly once", async () => {
  const s = await seedTagoClient(getDb(), { tag: "pg", points: POINTS });
  const worker = children.start({ WORKERS: "processor,maintenance", WORKER_CONCURRENCY: "2", PROCESSOR_BATCH: "5" });
  await waitFor(
    async () => (await getQueue(maintenanceJob.queue).getJobScheduler("maintenance-sweep-raw")) !== undefined,
    60_000,
    "worker up",
  );

  const producer = startProducer({
    accountId: s.accountId,
    devices: s.points.map((p) => p.deviceRef),
    minutesPerPayload: 10,
    pauseMs: 5,
  });
  let before = 0;
  try {
    await sleep(PRODUCE_BEFORE_MS);
    before = producer.stats.payloads;
    await pgCtl("restart");
  } finally {
    await ensurePostgres();
  }
  const afterRestart = producer.stats.payloads;
  await sleep(PRODUCE_AFTER_MS);
  const stats = await producer.stop();
  expect(before).toBeGreaterThan(20);
  expect(stats.payloads).toBeGreaterThan(afterRestart); // the producer's pool recovered by itself

  await waitDrained(150_000);
  await expectExactlyOnce(s.points, stats);
  // Prisma's pool recovered too.
  expect(await getDb().capturePoint.count({ where: { clientId: s.clientId } })).toBe(POINTS);
  expect((await getPgPool().query("SELECT 1 AS ok")).rows[0].ok).toBe(1);
  expect(await getQueue(processRawJob.queue).getJobCountByTypes("failed")).toBe(0);
  expect(groupAlive(worker)).toBe(true);
});
