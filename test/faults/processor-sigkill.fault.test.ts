import { afterAll, beforeAll, expect, it } from "vitest";
import { closeAll, getDb, truncateAll } from "@/test/db";
import { getPgPool } from "@/server/pg";
import { closeQueues, getQueue } from "@/server/queues/connection";
import { enqueueMany } from "@/server/jobs/define";
import { processRawJob } from "@/server/processing/jobs";
import { insertTagoRaws, minuteSeries, seedTagoClient, tagoBody } from "@/server/processing/test-fixtures";
import { FULL, groupGone, killGroup, waitFor, WorkerChildren } from "./children";

// Moved here from workers/processor/sigkill.int.test.ts.
const POINTS = 10;
const PAYLOADS_PER_POINT = FULL ? 48 : 24; // one hour of minute data each
const children = new WorkerChildren();
const startWorker = () => children.start({ WORKERS: "processor", PROCESSOR_BATCH: "1", WORKER_CONCURRENCY: "4" });

const processedCount = async () =>
  (await getPgPool().query<{ n: number }>(`SELECT count(*)::int AS n FROM raw_payload WHERE status = 'processed'`))
    .rows[0]!.n;

beforeAll(async () => {
  await truncateAll();
});
afterAll(async () => {
  await children.stopAll();
  await closeQueues();
  await closeAll();
});

it(
  "a processor killed with SIGKILL mid-batch loses nothing and duplicates nothing after restart",
  { timeout: 180_000 },
  async () => {
    const s = await seedTagoClient(getDb(), { tag: "kill", points: POINTS });
    const t0 = new Date("2026-02-01T00:00:00Z").getTime();
    const bodies: string[] = [];
    for (let h = 0; h < PAYLOADS_PER_POINT; h++) {
      for (const p of s.points) bodies.push(tagoBody(minuteSeries(p.deviceRef, new Date(t0 + h * 3600_000), 60)));
    }
    const ids = await insertTagoRaws(getPgPool(), s.accountId, bodies);
    const q = getQueue(processRawJob.queue);
    const jobs = [];
    for (let i = 0; i < ids.length; i += 8) jobs.push({ payload: { rawIds: ids.slice(i, i + 8) } });
    await enqueueMany(processRawJob, jobs);

    const first = startWorker();
    await waitFor(async () => (await processedCount()) >= ids.length * 0.3, 90_000, "30 % processed");
    const activeAtKill = await q.getJobCountByTypes("active");
    killGroup(first, "SIGKILL");
    await groupGone(first);
    const atKill = await processedCount();
    expect(atKill).toBeLessThan(ids.length);
    expect(activeAtKill).toBeGreaterThan(0);

    const second = startWorker();
    await waitFor(
      async () =>
        (await processedCount()) === ids.length && (await q.getJobCountByTypes("wait", "active", "delayed")) === 0,
      150_000,
      async () =>
        `drain: ${await processedCount()}/${ids.length} processed, jobs ${JSON.stringify(await q.getJobCounts())}`,
    );

    const pool = getPgPool();
    const perPoint = await pool.query<{ point_id: number; n: number; distinct_ts: number }>(
      `SELECT point_id, count(*)::int AS n, count(DISTINCT (variable, ts))::int AS distinct_ts FROM measurement GROUP BY point_id ORDER BY point_id`,
    );
    const expected = PAYLOADS_PER_POINT * 60 * 4; // flow, totalizer, level, water_table
    expect(perPoint.rows).toEqual(s.points.map((p) => ({ point_id: p.pointId, n: expected, distinct_ts: expected })));
    const conflicts = await pool.query(`SELECT count(*)::int AS n FROM measurement_conflict`);
    expect(conflicts.rows[0].n).toBe(0);
    const hourly = await pool.query(`SELECT sum(count + excluded)::int AS n FROM measurement_hourly`);
    expect(hourly.rows[0].n).toBe(expected * POINTS);
    const failed = await q.getJobCountByTypes("failed");
    expect(failed).toBe(0);
    killGroup(second, "SIGTERM");
    await groupGone(second);
  },
);
