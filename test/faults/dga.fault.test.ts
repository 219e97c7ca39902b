import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { fromDgaWallClock } from "@/domain/dga/time";
import { getPgPool } from "@/server/pg";
import { closeQueues, getQueue } from "@/server/queues/connection";
import { dgaCycleJob } from "@/server/dga/jobs";
import { planSubmissions } from "@/server/dga/plan";
import { submitSlot } from "@/server/dga/submit";
import {
  CENTRO_CONTROL_RUT,
  createPoint,
  HOUR_MS,
  pendingSlot,
  records,
  setFaults,
  SLOT_AT,
  slotRow,
  startHarness,
  type Harness,
} from "@/server/dga/test-harness";
import { closeAll, getDb, truncateAll } from "@/test/db";
import { FULL, groupGone, killGroup, waitFor, WorkerChildren } from "./children";

let h: Harness;
const pool = () => getPgPool();
const at = (ms: number) => new Date(SLOT_AT.getTime() + ms);
/** Next-day resend per DEFAULT_RETRY_POLICY: 10:00 UTC-4 of the following DGA day. */
const nextDay10 = fromDgaWallClock({ year: 2026, month: 6, day: 16, hour: 10 });
const children = new WorkerChildren();

beforeEach(async () => {
  await truncateAll();
  h = await startHarness();
});
afterEach(() => h.sandbox.close());
afterAll(async () => {
  await children.stopAll();
  await closeQueues();
  await closeAll();
});

const obraPosts = async (obra: string | null) => (await records(h)).posts.filter((p) => p.codigoObra === obra);

describe("DGA faults", () => {
  // Moved here from server/dga/submit.int.test.ts.
  it("a timeout that actually stored the data → unknown → next-day retry gets the duplicate → sent with the original receipt, stored once", async () => {
    const p = await createPoint(h);
    const id = await pendingSlot(p.id, SLOT_AT);
    await setFaults(h, { mode: "timeout_after_store", count: 1 });
    const first = await submitSlot(pool(), id, at(5 * 60_000), { ...h.cfg, requestTimeoutMs: 300 });
    expect(first).toMatchObject({ outcome: "unknown", state: "pending" });
    let slot = await slotRow(id);
    expect(slot.nextAttemptAt).toEqual(nextDay10);
    expect(slot.reasons).toEqual(["outcome_unknown:no_response"]);

    expect(await planSubmissions(pool(), at(2 * HOUR_MS), h.cfg)).toEqual([]);
    expect(await submitSlot(pool(), id, at(2 * HOUR_MS), h.cfg)).toEqual({ kind: "skipped", reason: "not_due" });

    expect((await planSubmissions(pool(), nextDay10, h.cfg)).map((p) => p.slotId)).toEqual([id]);
    const second = await submitSlot(pool(), id, nextDay10, h.cfg);
    expect(second).toMatchObject({ outcome: "duplicate", state: "sent" });
    const { records: stored, posts } = await records(h);
    expect(stored).toHaveLength(1);
    slot = await slotRow(id);
    expect(slot.receipt).toBe(stored[0]!.receipt);
    expect(posts[0]).toMatchObject({ posts: 2, duplicates: 1, stored: true });
    expect(await submitSlot(pool(), id, at(72 * HOUR_MS), h.cfg)).toEqual({ kind: "skipped", reason: "not_due" });
  });

  it("a DGA worker killed (SIGKILL) mid-cycle: after restart no slot is stored twice, nothing is resent at once, all end sent", async () => {
    const SLOTS = FULL ? 60 : 24;
    const HUNG = 4;
    const points: { id: number; obraCode: string | null }[] = [];
    const slotIds: string[] = [];
    for (let i = 0; i < SLOTS; i++) {
      const p = await createPoint(h);
      points.push(p);
      slotIds.push(await pendingSlot(p.id, SLOT_AT));
    }
    const ids = slotIds.map(BigInt);
    const countIn = (state: "sent" | "sending") => getDb().dgaSlot.count({ where: { id: { in: ids }, state } });
    // The first HUNG POSTs are stored by "MEE" and never answered: the worker dies with them in flight.
    await setFaults(h, { mode: "timeout_after_store", count: HUNG });
    const workerEnv = (id: string) => ({
      WORKERS: "dga",
      WORKER_ID: id,
      DGA_API_URL: h.cfg.apiUrl,
      DGA_CENTRO_CONTROL_RUT: CENTRO_CONTROL_RUT,
      DGA_SUBMISSION_ENABLED: "true",
    });

    const first = children.start(workerEnv("dga-a"));
    await waitFor(
      async () => (await countIn("sent")) === SLOTS - HUNG && (await countIn("sending")) === HUNG,
      90_000,
      "all but the hung slots sent",
    );
    killGroup(first, "SIGKILL");
    await groupGone(first);
    const inFlight = await getDb().dgaSlot.findMany({
      where: { id: { in: ids }, state: "sending" },
      select: { id: true, pointId: true },
    });
    expect(inFlight).toHaveLength(HUNG);
    expect((await records(h)).records).toHaveLength(SLOTS);

    // Time passes (the lease is 2 min): expire it rather than wait.
    await pool().query(`UPDATE dga_slot SET lease_until = now() - interval '1 second' WHERE state = 'sending'`);
    children.start(workerEnv("dga-b"));
    const cycle = getQueue(dgaCycleJob.queue);
    let manual = 0;
    const kickCycle = () =>
      cycle.add(
        "cycle",
        { reason: "manual" },
        { jobId: `fault-manual-${++manual}`, removeOnComplete: true, removeOnFail: true },
      );
    const hungIds = inFlight.map((s) => s.id);
    await waitFor(
      async () => {
        await kickCycle();
        return (
          (await getDb().dgaSlot.count({
            where: { id: { in: hungIds }, state: "pending", reasons: { has: "outcome_unknown:no_response" } },
          })) === HUNG
        );
      },
      90_000,
      "lease recovery",
    );
    for (const s of inFlight)
      expect((await obraPosts(points.find((p) => p.id === s.pointId)!.obraCode)).map((p) => p.posts)).toEqual([1]);

    // The next day comes: the outcome-unknown slots are retried and MEE answers "duplicate" with the original receipt.
    await pool().query(`UPDATE dga_slot SET next_attempt_at = now() WHERE id = ANY($1::bigint[])`, [hungIds]);
    await waitFor(
      async () => {
        await kickCycle();
        return (await countIn("sent")) === SLOTS;
      },
      90_000,
      "every slot sent",
    );

    const { records: stored, posts } = await records(h);
    expect(stored).toHaveLength(SLOTS);
    expect(new Set(stored.map((r) => r.codigoObra)).size).toBe(SLOTS);
    const hungObras = new Set(inFlight.map((s) => points.find((p) => p.id === s.pointId)!.obraCode));
    for (const c of posts)
      expect([c.codigoObra, c.posts, c.duplicates]).toEqual(
        hungObras.has(c.codigoObra) ? [c.codigoObra, 2, 1] : [c.codigoObra, 1, 0],
      );
    const slots = await getDb().dgaSlot.findMany({
      where: { id: { in: ids } },
      select: { pointId: true, receipt: true },
    });
    for (const s of slots)
      expect(s.receipt).toBe(
        stored.find((r) => r.codigoObra === points.find((p) => p.id === s.pointId)!.obraCode)!.receipt,
      );
    expect(
      await getDb().auditLog.count({ where: { action: "dga.slot.recover", entityId: { in: hungIds.map(String) } } }),
    ).toBe(HUNG);
  });
});
