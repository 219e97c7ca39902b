import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@/domain/errors";
import type { Principal } from "@/domain/auth/permissions";
import { operations } from "@/server/api/operations";
import { runOperation } from "@/server/api/run-operation";
import { getPgPool } from "@/server/pg";
import { closeQueues } from "@/server/queues/connection";
import { startSims, testClock } from "@/server/integrations/providers/test-sims";
import { seedAccount, seedClient, seedWellBinding } from "@/server/integrations/providers/test-db-seed";
import { fleetFor } from "@/simulators/providers/fleet";
import { closeAll, getDb, truncateAll } from "@/test/db";
import { runCollect, type CollectDeps } from "./collect";
import { planFanOut } from "./scheduler";

const T0 = new Date("2026-11-20T12:00:00Z");
const DAY = 86_400_000;
const clk = testClock(T0);
const admin: Principal = { kind: "user", id: 1, label: "admin", staffRole: "admin", memberships: [] };
let sims: Awaited<ReturnType<typeof startSims>>;
const deps = (): CollectDeps => ({
  prisma: getDb(),
  sql: getPgPool(),
  now: clk.now,
  enqueueProcessRaw: async () => {},
});

beforeAll(async () => {
  await truncateAll();
  sims = await startSims(clk.now);
});
afterAll(async () => {
  await sims.close();
  await closeQueues();
  await closeAll();
});

describe("push-only accounts and bindings", () => {
  it("are never planned nor polled, and raise no credential error", async () => {
    const c = await seedClient(getDb(), "push-only");
    // A Tago account that only receives actions: no device tokens stored at all.
    const acc = await getDb().providerAccount.create({
      data: { clientId: c.id, kind: "tago", name: "Tago solo push", baseUrl: sims.base.tago, pushOnly: true },
    });
    const viaAccount = await seedWellBinding(getDb(), c.id, acc.id, fleetFor("tago")[0]!);
    const polled = await seedAccount(getDb(), c.id, "tdata", sims.base.tdata);
    const normal = await seedWellBinding(getDb(), c.id, polled.id, fleetFor("tdata")[0]!);
    const viaBinding = await seedWellBinding(getDb(), c.id, polled.id, fleetFor("tdata")[1]!);
    await getDb().pointBinding.update({ where: { id: viaBinding.id }, data: { pushOnly: true } });

    const planned = new Set((await planFanOut(getDb(), clk.now())).map((j) => j.data.bindingId));
    expect(planned.has(normal.id)).toBe(true);
    expect(planned.has(viaAccount.id)).toBe(false);
    expect(planned.has(viaBinding.id)).toBe(false);

    // A stray or manual job for them is a no-op, not a "missing credential" failure.
    for (const id of [viaAccount.id, viaBinding.id]) {
      const r = await runCollect({ bindingId: id, reason: "manual" }, deps());
      expect(r.skipped).toMatch(/push-only/);
    }
    const b = await getDb().pointBinding.findUniqueOrThrow({ where: { id: viaAccount.id } });
    expect(b).toMatchObject({ lastError: null, lastErrorAt: null });
    expect((await getDb().providerAccount.findUniqueOrThrow({ where: { id: acc.id } })).lastError).toBeNull();
  });
});

describe("backfill", () => {
  it("never moves the live watermark: it advances its own cursor", async () => {
    const c = await seedClient(getDb(), "backfill");
    const acc = await seedAccount(getDb(), c.id, "tdata", sims.base.tdata);
    const fresh = await seedWellBinding(getDb(), c.id, acc.id, fleetFor("tdata")[2]!);
    const live = new Date(T0.getTime() - 10 * 60_000);
    const running = await seedWellBinding(getDb(), c.id, acc.id, fleetFor("tdata")[3]!, { watermarkAt: live });
    const from = new Date(T0.getTime() - 5 * DAY);
    const to = new Date(T0.getTime() - 4 * DAY);
    for (const b of [fresh, running]) {
      const r = await runCollect(
        { bindingId: b.id, reason: "backfill", from: from.toISOString(), to: to.toISOString() },
        deps(),
      );
      expect(r.readings).toBeGreaterThan(50);
    }
    const after = await getDb().pointBinding.findMany({
      where: { id: { in: [fresh.id, running.id] } },
      orderBy: { id: "asc" },
    });
    // Without a watermark the next poll still starts from the initial lookback, not from five days ago.
    expect(after[0]!.watermarkAt).toBeNull();
    expect(after[1]!.watermarkAt).toEqual(live);
    for (const b of after)
      expect(b.backfillCursor).toEqual({ from: from.toISOString(), to: to.toISOString(), reachedAt: to.toISOString() });
  });

  it("refuses a window beyond the account's retention with a 4xx, and clips one that straddles it (said in the answer and the job)", async () => {
    clk.set(new Date());
    const now = clk.now().getTime();
    const beyond = {
      provider: "tdata",
      from: new Date(now - 90 * DAY).toISOString(),
      to: new Date(now - 60 * DAY).toISOString(),
    };
    const err = await runOperation(operations.collection.run, getDb(), admin, beyond).catch((e: unknown) => e);
    expect(AppError.is(err, "BAD_INPUT")).toBe(true);
    expect((err as AppError).message).toMatch(/retención/);

    const straddle = {
      provider: "tdata",
      from: new Date(now - 45 * DAY).toISOString(),
      to: new Date(now - 20 * DAY).toISOString(),
    };
    const out = (await runOperation(operations.collection.run, getDb(), admin, straddle)) as {
      jobs: { from: string; clipped: string | null }[];
    };
    expect(out.jobs.length).toBeGreaterThan(0);
    for (const j of out.jobs) {
      expect(j.clipped).toMatch(/clipped to the provider's retention \(30 d\)/);
      expect(new Date(j.from).getTime()).toBeGreaterThan(now - 31 * DAY);
    }
  });
});
