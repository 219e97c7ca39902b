import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RawReading } from "@/domain/measurements/types";
import { providerParsers } from "@/domain/providers";
import type { ProviderKind } from "@/domain/providers/types";
import { getPgPool } from "@/server/pg";
import { getRedis } from "@/server/redis";
import { closeQueues, getQueue } from "@/server/queues/connection";
import { collectJobs, enqueueCollectJobs, type CollectEnqueue } from "@/server/collection/jobs";
import { parseJobHostEnv } from "@/server/jobs/env";
import { createJobHost, startJobs } from "@/server/jobs/worker";
import { providersConfig } from "@/server/integrations/providers/config";
import {
  accountFor,
  bindingFor,
  readingId,
  startSims,
  testClock,
  walkRange,
  type SimKind,
} from "@/server/integrations/providers/test-sims";
import { seedAccount, seedClient, seedWellBinding } from "@/server/integrations/providers/test-db-seed";
import { fleetFor, type FleetWell } from "@/simulators/providers/fleet";
import { BindingCache } from "@/server/processing/bindings";
import { processRawBatch } from "@/server/processing/pipeline";
import { closeAll, getDb, truncateAll } from "@/test/db";
import { runCollect, type CollectDeps } from "@/server/collection/collect";
import { recordCollectFailure } from "@/server/collection/failures";
import { planFanOut } from "@/server/collection/scheduler";

// Moved here from workers/collector/collector.int.test.ts: provider outage backfill (fault d), 429 storm (fault e)
// and the overlap/fan-out idempotency they rely on.
const T0 = new Date("2025-03-10T14:00:00Z");
const HOUR = 3600_000;
const clk = testClock(T0);
let sims: Awaited<ReturnType<typeof startSims>>;
let clientId = 0;
const accounts = {} as Record<SimKind, number>;
const enqueued: string[] = [];
const deps = (): CollectDeps => ({
  prisma: getDb(),
  sql: getPgPool(),
  now: clk.now,
  enqueueProcessRaw: async (ids) => void enqueued.push(...ids),
});

beforeAll(async () => {
  await truncateAll();
  sims = await startSims(clk.now);
  clientId = (await seedClient(getDb(), "collector")).id;
  for (const k of ["tdata", "tts", "thethingsio", "tago"] as const)
    accounts[k] = (await seedAccount(getDb(), clientId, k, sims.base[k])).id;
});
afterAll(async () => {
  await sims.close();
  await closeQueues();
  await closeAll();
});

async function bind(kind: SimKind, well: FleetWell, watermarkAt: Date) {
  return seedWellBinding(getDb(), clientId, accounts[kind], well, { watermarkAt });
}

/** Readings the processor will see in the raw payloads stored for a binding. */
async function storedReadings(bindingId: number): Promise<RawReading[]> {
  const r = await getPgPool().query<{
    provider: ProviderKind;
    headers: Record<string, string>;
    body: string;
    status: string;
  }>(
    "SELECT provider, headers, body, status FROM raw_payload WHERE binding_id = $1 AND status <> 'rejected' ORDER BY id",
    [bindingId],
  );
  return r.rows.flatMap((row) => {
    const ctx = { deviceRef: row.headers["x-sh-device-ref"]!, key: row.headers["x-sh-key"] };
    return providerParsers(row.provider).parsePull(row.provider === "tts" ? row.body : JSON.parse(row.body), ctx)
      .readings;
  });
}

/** Ground truth: one big walk straight against the simulator. */
async function reference(kind: SimKind, well: FleetWell, from: Date, to: Date): Promise<RawReading[]> {
  return walkRange(
    kind,
    bindingFor(
      accountFor(kind, sims.base[kind], 99_000 + Math.floor(Math.random() * 1000), { pageSize: 10_000 }),
      well,
    ),
    from,
    to,
  );
}

async function processAll(): Promise<void> {
  const ids = enqueued.splice(0);
  if (ids.length)
    await processRawBatch(
      { pool: getPgPool(), redis: getRedis(), prefix: "t", bindings: new BindingCache(getPgPool(), 0) },
      ids,
    );
}

async function measurementStats(pointId: number) {
  const r = await getPgPool().query<{ n: string; d: string }>(
    "SELECT count(*) AS n, count(DISTINCT (variable, ts)) AS d FROM measurement WHERE point_id = $1 AND variable IN (1, 2, 3)",
    [pointId],
  );
  return { rows: Number(r.rows[0]!.n), distinct: Number(r.rows[0]!.d) };
}

describe("collector", () => {
  for (const kind of ["tago", "tdata"] as const) {
    it(`${kind}: a 6-hour provider outage is backfilled completely after recovery`, async () => {
      clk.set(T0);
      const well = fleetFor(kind)[1]!;
      const binding = await bind(kind, well, new Date(T0.getTime() - HOUR));
      await runCollect({ bindingId: binding.id, reason: "schedule" }, deps());
      await sims.fault(kind, { mode: "outage" });
      for (let h = 1; h <= 6; h++) {
        clk.advance(HOUR);
        const err = await runCollect({ bindingId: binding.id, reason: "schedule" }, deps()).catch((e: unknown) => e);
        expect(err).toMatchObject({ code: "PROVIDER_UNAVAILABLE" });
        await recordCollectFailure(getDb(), {
          bindingId: binding.id,
          errorClass: "transient",
          error: err,
          final: h >= 5,
          now: clk.now(),
        });
      }
      const failing = await getDb().pointBinding.findUniqueOrThrow({ where: { id: binding.id } });
      expect(failing.lastErrorClass).toBe("transient");
      expect(
        await getDb().notification.count({ where: { groupKey: `provider_error:binding:${binding.id}:transient` } }),
      ).toBe(1);

      await sims.reset(kind);
      clk.advance(10 * 60_000);
      const r = await runCollect({ bindingId: binding.id, reason: "schedule" }, deps());
      expect(r.readings).toBeGreaterThan(0);
      const cfg = providersConfig().kinds[kind];
      const truth = await reference(
        kind,
        well,
        new Date(T0.getTime() - cfg.overlapMs),
        new Date(clk.now().getTime() - cfg.lagMs),
      );
      const got = new Set((await storedReadings(binding.id)).map(readingId));
      const missing = truth.map(readingId).filter((id) => !got.has(id));
      expect(truth.length).toBeGreaterThan(6 * 3 * 3);
      expect(missing).toEqual([]);
      const after = await getDb().pointBinding.findUniqueOrThrow({ where: { id: binding.id } });
      expect(after.lastError).toBeNull();
      expect(clk.now().getTime() - after.watermarkAt!.getTime()).toBeLessThan(HOUR);

      await processAll();
      const m = await measurementStats(binding.pointId);
      expect(m.rows).toBe(m.distinct);
      const mapped = new Set(well.variables.map((v) => v.key));
      const distinctReadings = new Set(
        (await storedReadings(binding.id))
          .filter((x) => mapped.has(x.key))
          .map((x) => `${x.key}|${x.measuredAt.toISOString()}`),
      );
      expect(m.rows).toBe(distinctReadings.size);
    });
  }

  it("repeated polls and overlapping windows create no duplicate raw work or measurement rows", async () => {
    clk.set(new Date(T0.getTime() + 24 * HOUR));
    const well = fleetFor("tdata")[2]!;
    const binding = await bind("tdata", well, new Date(clk.now().getTime() - 2 * HOUR));
    const first = await runCollect({ bindingId: binding.id, reason: "schedule" }, deps());
    expect(first.stored).toBeGreaterThan(0);
    const again = await runCollect(
      {
        bindingId: binding.id,
        reason: "manual",
        from: new Date(clk.now().getTime() - 3 * HOUR).toISOString(),
        to: clk.now().toISOString(),
      },
      deps(),
    );
    clk.advance(10 * 60_000);
    const overlap = await runCollect({ bindingId: binding.id, reason: "schedule" }, deps());
    await runCollect({ bindingId: binding.id, reason: "schedule" }, deps()); // the watermark settles on the newest sample
    const replay = await runCollect({ bindingId: binding.id, reason: "schedule" }, deps());
    expect(again.stored + overlap.stored).toBeGreaterThan(0);
    expect(replay.stored).toBe(0);
    expect(replay.duplicates).toBeGreaterThan(0);
    const readings = await storedReadings(binding.id);
    const keys = readings.map((r) => `${r.key}|${r.measuredAt.toISOString()}`);
    expect(keys.length).toBeGreaterThan(new Set(keys).size); // the windows really overlapped
    await processAll();
    const m = await measurementStats(binding.pointId);
    expect(m.rows).toBe(new Set(keys).size);
  });

  it("the fan-out gives each binding one job per poll slot, whatever the number of ticks", async () => {
    clk.set(new Date(T0.getTime() + 48 * HOUR));
    const a = await planFanOut(getDb(), clk.now());
    const b = await planFanOut(getDb(), new Date(clk.now().getTime() + 5_000));
    const ids = (list: CollectEnqueue[]) => list.map((j) => collectJobs[j.kind].jobId(j.data));
    expect(ids(b)).toEqual(ids(a));
    expect(ids(a).some((id) => id.includes("-sweep-"))).toBe(true);
    const q = getQueue(collectJobs.tago.queue);
    await q.pause();
    await enqueueCollectJobs(a);
    const n1 = await q.count();
    await enqueueCollectJobs(b);
    expect(await q.count()).toBe(n1);
    for (const k of ["tdata", "tts", "thethingsio", "tago", "custom"] as const)
      await getQueue(collectJobs[k].queue).obliterate({ force: true });
    await q.resume();
  });

  it("through BullMQ: a 429 storm slows collection without losing data; a permanent error fails loudly once", async () => {
    clk.set(new Date(T0.getTime() + 72 * HOUR));
    const wells = fleetFor("tago").slice(2, 5);
    const bindings = await Promise.all(wells.map((w) => bind("tago", w, new Date(clk.now().getTime() - 2 * HOUR))));
    const broken = await seedWellBinding(getDb(), clientId, accounts.tdata, {
      ...fleetFor("tdata")[0]!,
      deviceRef: "00000000-dead-4bee-a000-000000000000",
    });
    await sims.fault("tago", { mode: "rate_limit_storm", count: 3, retryAfterSec: 1 });
    const host = createJobHost(parseJobHostEnv(process.env), { now: clk.now });
    const collector = await startJobs(Object.values(collectJobs), host);
    try {
      const started = Date.now();
      const jobs = await enqueueCollectJobs([
        ...bindings.map((b) => ({
          kind: "tago" as const,
          data: { bindingId: b.id, reason: "manual" as const, at: clk.now().toISOString() },
        })),
        {
          kind: "tdata",
          data: { bindingId: broken.id, reason: "manual", at: clk.now().toISOString() },
        },
        {
          kind: "tdata",
          data: { bindingId: broken.id, reason: "schedule", at: clk.now().toISOString() },
        },
      ]);
      const states = async () =>
        Promise.all(jobs.map(async (j) => (await getQueue(collectJobs[j.kind].queue).getJob(j.jobId))?.getState()));
      for (let i = 0; i < 150; i++) {
        const s = await states();
        if (s.slice(0, 3).every((x) => x === "completed") && s.slice(3).every((x) => x === "failed")) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(await states()).toEqual(["completed", "completed", "completed", "failed", "failed"]);
      expect(Date.now() - started).toBeGreaterThanOrEqual(900);
      expect(sims.sims.tago.stats().byStatus["429"]).toBeGreaterThanOrEqual(1);
      const cfg = providersConfig().kinds.tago;
      for (const [i, b] of bindings.entries()) {
        const truth = await reference(
          "tago",
          wells[i]!,
          new Date(clk.now().getTime() - 2 * HOUR - cfg.overlapMs),
          new Date(clk.now().getTime() - cfg.lagMs),
        );
        const got = new Set((await storedReadings(b.id)).map(readingId));
        expect(truth.filter((r) => !got.has(readingId(r)))).toEqual([]);
      }
      const bad = await getDb().pointBinding.findUniqueOrThrow({ where: { id: broken.id } });
      expect(bad.lastErrorClass).toBe("permanent");
      expect(bad.lastError).toMatch(/tdata HTTP 404/);
      const notes = await getDb().notification.findMany({
        where: { event: "provider_error", groupKey: `provider_error:binding:${broken.id}:permanent` },
      });
      expect(notes).toHaveLength(1);
      expect(notes[0]!.clientId).toBeNull();
      expect(notes[0]!.severity).toBe("critical");
    } finally {
      await collector.close();
      await host.stop();
    }
  });
});
