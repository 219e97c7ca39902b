import type { Job } from "bullmq";
import { afterAll, beforeAll, expect, it } from "vitest";
import { VARIABLE_CODE } from "@/domain/measurements/types";
import { providerParsers } from "@/domain/providers";
import type { ProviderKind } from "@/domain/providers/types";
import { encryptSecret } from "@/server/crypto";
import { getPgPool } from "@/server/pg";
import { closeQueues, getQueue } from "@/server/queues/connection";
import { collectFanOutJob, collectJobs } from "@/server/collection/jobs";
import { fanOut } from "@/server/collection/scheduler";
import { providersConfig } from "@/server/integrations/providers/config";
import type { AccountCtx } from "@/server/integrations/providers/types";
import { readingId, walkRange } from "@/server/integrations/providers/test-sims";
import { seedClient, seedWellBinding } from "@/server/integrations/providers/test-db-seed";
import { DEMO_FLEET, fleetFor, type TagoFleetWell, type TdataFleetWell } from "@/simulators/providers/fleet";
import type { SimHandle } from "@/simulators/providers/http-kit";
import { createTagoSimulator } from "@/simulators/providers/tago";
import { createTdataSimulator } from "@/simulators/providers/tdata";
import { closeAll, getDb, truncateAll } from "@/test/db";
import { FULL, sleep, waitFor, WorkerChildren } from "./children";
import { waitDrained } from "./load";
import { ensureRedis } from "./services";

/**
 * Several collector processes and several processor processes at once, polling loopback provider
 * simulators for a fleet of points on the real fan-out schedule. Every reading a simulator served is
 * stored raw and as a measurement exactly once, each point's series and watermark are consistent, and
 * each scheduled poll/sweep slot ran as one job once. Throughput per number of collector processes is
 * measured by `npm run bench:scale`, not asserted here.
 */
type Kind = "tago" | "tdata";
const COLLECTORS = 3;
const PROCESSORS = 2;
const WELLS: Record<Kind, number> = FULL ? { tago: 40, tdata: 12 } : { tago: 16, tdata: 8 };
/** Poll slots (pollIntervalSec 30) the fleet lives through while the simulated clock runs. */
const SLOTS = FULL ? 6 : 3;
const POLL_SEC = 30;
const HOUR = 3600_000;
const REAL0 = Date.now();
// The simulators' clock runs 20× faster than real time (10 simulated minutes per poll slot) and stays
// behind the real clock the collectors use, so every poll finds new data; it is frozen before the end.
const SPEED = 20;
const SIM0 = REAL0 - 3 * HOUR;
let frozenAt: number | null = null;
const simNow = () => new Date(frozenAt ?? SIM0 + (Date.now() - REAL0) * SPEED);
const WATERMARK0 = new Date(SIM0 - 2 * HOUR);
// Account overrides so that late-data sweeps also run several slots (one a minute) over a short window.
const SETTINGS = { collect: { late_window_sec: 3 * 3600, late_sweep_every_sec: 60 } };

const hex = (i: number, len: number) => i.toString(16).padStart(len, "0");
/** Clean wells (no late, missing, duplicate or error-code quirks) cloned from the demo fleet's shapes. */
const tagoWells: TagoFleetWell[] = Array.from({ length: WELLS.tago }, (_, i) => {
  const t = fleetFor("tago")[i % fleetFor("tago").length]!;
  const deviceId = `5c${hex(i, 22)}`;
  return {
    ...t,
    code: `SC-V${i}`,
    name: `Pozo escala V${i}`,
    deviceId,
    deviceRef: deviceId,
    deviceToken: `00000000-0000-4000-a000-${hex(i, 12)}`,
    well: { ...t.well, id: `SC-V${i}`, seed: t.well.seed ^ (i * 7919), quirks: {} },
  };
});
const tdataWells: TdataFleetWell[] = Array.from({ length: WELLS.tdata }, (_, i) => {
  const t = fleetFor("tdata")[i % fleetFor("tdata").length]!;
  const deviceId = `11111111-2222-4333-a444-${hex(i, 12)}`;
  return {
    ...t,
    code: `SC-T${i}`,
    name: `Pozo escala T${i}`,
    deviceId,
    deviceRef: deviceId,
    well: { ...t.well, id: `SC-T${i}`, seed: t.well.seed ^ (i * 104_729), quirks: {} },
  };
});
const wells = { tago: tagoWells, tdata: tdataWells };
const credentials: Record<Kind, Record<string, string>> = {
  tago: Object.fromEntries(tagoWells.map((w) => [w.deviceRef, w.deviceToken])),
  tdata: { username: DEMO_FLEET.accounts.tdata.username, password: DEMO_FLEET.accounts.tdata.password },
};

const children = new WorkerChildren();
const sims: Record<Kind, SimHandle> = {
  tago: createTagoSimulator({ devices: tagoWells, now: simNow }),
  tdata: createTdataSimulator({
    users: [{ username: DEMO_FLEET.accounts.tdata.username, password: DEMO_FLEET.accounts.tdata.password }],
    devices: tdataWells,
    now: simNow,
    tokenTtlSec: 24 * 3600,
  }),
};
const base = {} as Record<Kind, string>;
const bindings: { kind: Kind; id: number; pointId: number; deviceRef: string }[] = [];

beforeAll(async () => {
  await ensureRedis();
  await truncateAll();
  base.tago = (await sims.tago.listen(0)).url + DEMO_FLEET.accounts.tago.basePath;
  base.tdata = (await sims.tdata.listen(0)).url + DEMO_FLEET.accounts.tdata.basePath;
});
afterAll(async () => {
  await children.stopAll();
  await Promise.all(Object.values(sims).map((s) => s.close()));
  await closeQueues();
  await closeAll();
});

function accountCtx(kind: Kind): AccountCtx {
  return {
    id: 0,
    kind,
    baseUrl: base[kind],
    credentials: credentials[kind],
    settings: {},
    config: { ...providersConfig().kinds[kind], pageSize: 10_000 },
  };
}

/** Ground truth: one walk straight against the (frozen) simulator over the whole collected span. */
async function served(kind: Kind, deviceRef: string, keys: string[], from: Date, to: Date) {
  return walkRange(kind, { id: 0, deviceRef, pointId: 0, keys, account: accountCtx(kind) }, from, to);
}

async function storedReadings(bindingId: number) {
  const r = await getPgPool().query<{ provider: ProviderKind; headers: Record<string, string>; body: string }>(
    "SELECT provider, headers, body FROM raw_payload WHERE binding_id = $1 AND status <> 'rejected' ORDER BY id",
    [bindingId],
  );
  return r.rows.flatMap(
    (row) =>
      providerParsers(row.provider).parsePull(row.provider === "tts" ? row.body : JSON.parse(row.body), {
        deviceRef: row.headers["x-sh-device-ref"]!,
        key: row.headers["x-sh-key"],
      }).readings,
  );
}

const collectQueues = () => (["tago", "tdata"] as const).map((k) => getQueue(collectJobs[k].queue));
const collectBusy = async () =>
  (
    await Promise.all(
      collectQueues().map((q) => q.getJobCountByTypes("wait", "active", "delayed", "prioritized", "waiting-children")),
    )
  ).reduce((a, b) => a + b, 0);

it(`${COLLECTORS} collector and ${PROCESSORS} processor processes on the fan-out schedule: every served reading exactly once, one run per slot`, async () => {
  const clientId = (await seedClient(getDb(), "scale-collectors")).id;
  for (const kind of ["tago", "tdata"] as const) {
    const account = await getDb().providerAccount.create({
      data: {
        clientId,
        kind,
        name: `${kind} scale`,
        baseUrl: base[kind],
        credentialsEnc: encryptSecret(JSON.stringify(credentials[kind])),
        settings: SETTINGS,
      },
    });
    for (const w of wells[kind]) {
      const b = await seedWellBinding(getDb(), clientId, account.id, w, {
        watermarkAt: WATERMARK0,
        pollIntervalSec: POLL_SEC,
      });
      bindings.push({ kind, id: b.id, pointId: b.pointId, deviceRef: w.deviceRef });
    }
  }

  for (let i = 0; i < COLLECTORS; i++) children.start({ WORKERS: "collector", WORKER_ID: `collector-${i}` });
  for (let i = 0; i < PROCESSORS; i++)
    children.start({ WORKERS: "processor", WORKER_CONCURRENCY: "4", WORKER_ID: `processor-${i}` });
  // The test is one more scheduler replica: its ticks fall in the same slots and must collapse into the same jobs.
  let extraTickCount = 0;
  const extraTicks = setInterval(
    () =>
      void fanOut(getDb(), new Date()).then(
        () => void extraTickCount++,
        () => {},
      ),
    5_000,
  );
  let frozen: number;
  try {
    await sleep(SLOTS * POLL_SEC * 1000);
    frozen = frozenAt = simNow().getTime();
    const frozenReal = Date.now();
    // Every binding must finish a poll enqueued after the freeze, so the last simulated data is collected.
    await waitFor(
      async () => {
        const done = (await Promise.all(collectQueues().map((q) => q.getJobs(["completed"])))).flat();
        const fresh = new Set(
          done
            .filter((j) => !j.id!.includes("-sweep-") && j.timestamp > frozenReal)
            .map((j) => j.data.bindingId as number),
        );
        return bindings.every((b) => fresh.has(b.id));
      },
      150_000,
      "a poll of every binding after the freeze",
    );
  } finally {
    clearInterval(extraTicks);
  }
  const scheduler = getQueue(collectFanOutJob.queue);
  await scheduler.pause();
  await waitFor(
    async () => (await scheduler.getActiveCount()) === 0 && (await collectBusy()) === 0,
    60_000,
    "collect queues idle",
  );
  await waitDrained(120_000);

  // One job per (binding, slot), each started once and completed; no job failed.
  const jobs: Job[] = (
    await Promise.all(
      collectQueues().map((q) => q.getJobs(["completed", "failed", "wait", "active", "delayed", "prioritized"])),
    )
  ).flat();
  expect(jobs.filter((j) => j.finishedOn === undefined || j.failedReason)).toEqual([]);
  expect(jobs.filter((j) => j.attemptsStarted !== 1).map((j) => `${j.id}: ${j.attemptsStarted}`)).toEqual([]);
  const ticks = (await scheduler.getJobs(["completed"])).length + extraTickCount;
  const slotsOf = (bindingId: number, sweep: boolean) =>
    jobs
      .filter((j) => j.data.bindingId === bindingId && j.id!.includes("-sweep-") === sweep)
      .map((j) => {
        const m = /^collect-\d+-(?:sweep-)?(\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}Z)$/.exec(j.id!);
        expect(m, j.id).not.toBeNull();
        return m![1]!;
      });
  const pollSlots = slotsOf(bindings[0]!.id, false).sort();
  expect(pollSlots.length).toBeGreaterThanOrEqual(SLOTS);
  for (const b of bindings) {
    const polls = slotsOf(b.id, false);
    expect(new Set(polls).size).toBe(polls.length);
    expect(polls.sort()).toEqual(pollSlots);
    for (const s of polls)
      expect(Date.parse(s.replace(/T(\d\d)-(\d\d)-(\d\d)/, "T$1:$2:$3")) % (POLL_SEC * 1000)).toBe(0);
    expect(slotsOf(b.id, true).length).toBeGreaterThanOrEqual(1);
  }
  // Many more fan-out ticks (the collectors' scheduler plus this test's) than jobs per binding: the ids collapsed them.
  expect(ticks).toBeGreaterThan(2 * pollSlots.length);

  const pool = getPgPool();
  const sweepFrom = Math.min(...jobs.filter((j) => j.data.from).map((j) => Date.parse(j.data.from as string)));
  let totalRows = 0;
  for (const b of bindings) {
    const cfg = providersConfig().kinds[b.kind];
    const from = new Date(Math.min(WATERMARK0.getTime() - cfg.overlapMs, sweepFrom));
    const well = wells[b.kind].find((w) => w.deviceRef === b.deviceRef)!;
    const truth = await served(
      b.kind,
      b.deviceRef,
      well.variables.map((v) => v.key),
      from,
      new Date(frozen),
    );
    expect(truth.length).toBeGreaterThan(0);

    // Raw: nothing served is missing, and no body was stored twice for the binding.
    const got = new Set((await storedReadings(b.id)).map(readingId));
    expect(truth.map(readingId).filter((id) => !got.has(id))).toEqual([]);
    const dupBodies = await pool.query(
      `SELECT md5(body) FROM raw_payload WHERE binding_id = $1 GROUP BY 1 HAVING count(*) > 1`,
      [b.id],
    );
    expect(dupBodies.rows).toEqual([]);

    // Measurements: exactly the served (variable, ts) keys, each once.
    const variableOf = new Map(well.variables.map((v) => [v.key, VARIABLE_CODE[v.variable]]));
    const expected = [...new Set(truth.map((r) => `${variableOf.get(r.key)}|${r.measuredAt.toISOString()}`))].sort();
    const m = await pool.query<{ k: string }>(
      `SELECT variable || '|' || to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS k FROM measurement WHERE point_id = $1 AND variable IN (1, 2, 3) ORDER BY 1`,
      [b.pointId],
    );
    expect(m.rows.map((r) => r.k)).toEqual(expected);
    totalRows += (await pool.query(`SELECT count(*)::int AS n FROM measurement WHERE point_id = $1`, [b.pointId]))
      .rows[0].n;

    // The watermark reached the newest served reading and never ran past it.
    const newest = Math.max(...truth.map((r) => r.measuredAt.getTime()));
    const row = await getDb().pointBinding.findUniqueOrThrow({ where: { id: b.id } });
    expect(row.watermarkAt?.getTime()).toBe(newest);
    expect(row.lastError).toBeNull();
  }

  // Series consistency as in the processor scaling test: no conflicts, rollups count every row, consumption never negative.
  expect((await pool.query(`SELECT count(*)::int AS n FROM measurement_conflict`)).rows[0].n).toBe(0);
  expect((await pool.query(`SELECT count(*)::int AS n FROM measurement WHERE quality IN (9, 10)`)).rows[0].n).toBe(0);
  expect(
    (await pool.query(`SELECT coalesce(sum(count + excluded), 0)::int AS n FROM measurement_hourly`)).rows[0].n,
  ).toBe(totalRows);
  expect((await pool.query(`SELECT point_id, bucket FROM measurement_hourly WHERE consumption_m3 < 0`)).rows).toEqual(
    [],
  );
  expect(
    (await pool.query(`SELECT count(*)::int AS n FROM raw_payload WHERE status NOT IN ('processed', 'rejected')`))
      .rows[0].n,
  ).toBe(0);
  await scheduler.resume();
});
