import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getPgPool } from "@/server/pg";
import { closeQueues, getQueue } from "@/server/queues/connection";
import { DGA_CYCLE_SCHEDULER_ID, dgaCycleJob, startDgaWorkers } from "@/server/dga/jobs";
import { parseJobHostEnv } from "@/server/jobs/env";
import { createJobHost } from "@/server/jobs/worker";
import { closeAll, getDb, truncateAll } from "@/test/db";
import {
  createPoint,
  HOUR_MS,
  pendingSlot,
  records,
  SLOT_AT,
  startHarness,
  type Harness,
} from "@/server/dga/test-harness";
import { planSubmissions } from "@/server/dga/plan";

let h: Harness;
beforeAll(async () => {
  await truncateAll();
  h = await startHarness();
});
afterAll(async () => {
  await h.sandbox.close();
  await closeQueues();
  await closeAll();
});

describe("DGA workers on BullMQ", () => {
  it("a scheduled cycle feeds two submission workers: every slot sent once, one obra's backlog spaced", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) ids.push(await pendingSlot((await createPoint(h)).id, SLOT_AT));
    const backlogPoint = await createPoint(h);
    const backlog = [
      await pendingSlot(backlogPoint.id, SLOT_AT),
      await pendingSlot(backlogPoint.id, new Date(SLOT_AT.getTime() + HOUR_MS)),
    ];
    const cfg = { ...h.cfg, backlogSpacingMin: 0.05 };
    const host = () => createJobHost(parseJobHostEnv(process.env));
    const a = await startDgaWorkers(
      host(),
      { pool: getPgPool(), cfg: { ...cfg, workerId: "wa" }, submitConcurrency: 16, cycleEveryMs: 500 },
      { cycle: true },
    );
    const b = await startDgaWorkers(
      host(),
      { pool: getPgPool(), cfg: { ...cfg, workerId: "wb" }, submitConcurrency: 16, cycleEveryMs: 500 },
      { cycle: true },
    );
    try {
      const all = [...ids, ...backlog].map(BigInt);
      const deadline = Date.now() + 90_000;
      while (
        Date.now() < deadline &&
        (await getDb().dgaSlot.count({ where: { id: { in: all }, state: "sent" } })) < all.length
      )
        await new Promise((r) => setTimeout(r, 200));
      const states = await getDb().dgaSlot.groupBy({ by: ["state"], where: { id: { in: all } }, _count: true });
      const dbg = {
        states,
        jobs: await getQueue("dga-submit").getJobCounts(),
        cyc: await getQueue("dga-cycle").getJobCounts(),
        planned: await planSubmissions(getPgPool(), new Date(), cfg),
        locks: (
          await getPgPool().query("SELECT classid, objid, granted, pid FROM pg_locks WHERE locktype = 'advisory'")
        ).rows,
        pend: await getDb().dgaSlot.findMany({ where: { id: { in: all }, state: "pending" } }),
      };
      expect(
        states,
        JSON.stringify(dbg, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v)),
      ).toEqual([{ state: "sent", _count: all.length }]);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
    const { posts, records: stored } = await records(h);
    expect(stored).toHaveLength(22);
    expect(posts.every((c) => c.posts === 1 && c.duplicates === 0)).toBe(true);
    const attempts = await getDb().dgaAttempt.findMany({
      where: { slotId: { in: backlog.map(BigInt) } },
      orderBy: { startedAt: "asc" },
    });
    expect(attempts).toHaveLength(2);
    expect(attempts[1]!.startedAt.getTime() - attempts[0]!.startedAt.getTime()).toBeGreaterThanOrEqual(3_000);
    expect(new Set(attempts.map((x) => x.worker)).size).toBeGreaterThanOrEqual(1);
    const schedulers = await getQueue(dgaCycleJob.queue).getJobSchedulers();
    expect(schedulers.map((s) => s.key)).toEqual([DGA_CYCLE_SCHEDULER_ID]);
  }, 120_000);
});
