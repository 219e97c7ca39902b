import { afterAll, beforeAll, expect, it } from "vitest";
import { getPgPool } from "@/server/pg";
import { closeQueues } from "@/server/queues/connection";
import { seedTagoClient } from "@/server/processing/test-fixtures";
import { closeAll, getDb, truncateAll } from "@/test/db";
import { FULL, sleep, WorkerChildren } from "./children";
import { ensureRedis } from "./services";
import { expectExactlyOnce, startProducer, waitDrained } from "./load";

/**
 * Several processor processes on one queue at once: every reading exactly once, and each point's series
 * stays consistent (clean input gives no spurious spike/reset/conflict flags, rollups count every
 * reading) although batches of the same point land on different processes. Throughput per number of
 * workers is measured by `npm run bench:scale`, not asserted here.
 */
const POINTS = 8;
const PROCESSES = 3;
const children = new WorkerChildren();

beforeAll(async () => {
  await ensureRedis();
  await truncateAll();
});
afterAll(async () => {
  await children.stopAll();
  await closeQueues();
  await closeAll();
});

it(`${PROCESSES} processor processes at once: exactly once, per-point series consistent`, async () => {
  const s = await seedTagoClient(getDb(), { tag: "scale", points: POINTS });
  for (let i = 0; i < PROCESSES; i++)
    children.start({ WORKERS: "processor", WORKER_CONCURRENCY: "4", PROCESSOR_BATCH: "2", WORKER_ID: `scale-${i}` });
  const producer = startProducer({
    accountId: s.accountId,
    devices: s.points.map((p) => p.deviceRef),
    minutesPerPayload: 5,
    pauseMs: 0,
  });
  await sleep(FULL ? 20_000 : 6_000);
  const stats = await producer.stop();
  expect(stats.payloads).toBeGreaterThan(40);
  await waitDrained(180_000);
  await expectExactlyOnce(s.points, stats);
  const { rows } = await getPgPool().query<{ quality: number; n: number }>(
    `SELECT quality, count(*)::int AS n FROM measurement WHERE variable IN (1, 3) AND quality <> 0 GROUP BY quality`,
  );
  // Flow and level of the producer are clean and smooth: a flag here would mean one point's batches interleaved badly.
  // (Its totalizer restarts with every payload, so resets there are expected; consumption must still never go negative.)
  expect(rows.filter((r) => ![8].includes(r.quality))).toEqual([]);
  const { rows: neg } = await getPgPool().query(
    `SELECT point_id, bucket FROM measurement_hourly WHERE consumption_m3 < 0`,
  );
  expect(neg).toEqual([]);
});
