/**
 * Throughput versus number of worker processes.
 * Processors: the ingest benchmark (bench/ingest.ts) run with 1, 2 and 3 worker processes on the
 * same backlog size. Collectors: 1, 2 and 3 collector processes (`WORKERS=collector`, the real entry)
 * polling a loopback Tago simulator that answers every request after COLLECT_LATENCY_MS, one scheduled
 * poll per binding (the fan-out's deterministic ids), each on a fresh database and queue prefix.
 * Correctness with several processes at once is asserted by test/faults/scale-workers.fault.test.ts and
 * test/faults/scale-collectors.fault.test.ts.
 *   npm run bench:scale [-- --quick]
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import pg from "pg";
import { parse, stringify } from "yaml";
import { isQuick, machineLine, recordFigures, writeSection } from "@/bench/lib/perf-doc";
import { dropDatabase, ensureDatabase, migrate } from "@/server/db/migrate";
import { deleteKeysWithPrefix } from "@/server/redis";
import { collectJobs } from "@/server/collection/jobs";
import { encryptSecret } from "@/server/crypto";
import { fleetFor, type TagoFleetWell } from "@/simulators/providers/fleet";
import { createTagoSimulator } from "@/simulators/providers/tago";
import { slotStart } from "@/server/collection/windows";

const quick = isQuick();
const sizes = { BENCH_POINTS: quick ? "100" : "300", BENCH_HOURS: quick ? "6" : "24" };
const COLLECT_BINDINGS = Number(process.env.BENCH_COLLECT_BINDINGS ?? (quick ? 120 : 600));
const COLLECT_LATENCY_MS = Number(process.env.BENCH_COLLECT_LATENCY_MS ?? 200);
const admin = process.env.PG_ADMIN_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379/0";
// encryptSecret (account credentials) and the worker processes read these; bench/main.ts passes them.
process.env.ENCRYPTION_KEY ??= randomBytes(32).toString("hex");
process.env.AUTH_SECRET ??= "bench-auth-secret-0123456789abcdef0123456789";

const load0 = loadavg()[0]!;
const runs: { procs: number; readingsPerS: number; copy: number }[] = [];
for (const procs of [1, 2, 3]) {
  const r = spawnSync("npx", ["tsx", "bench/ingest.ts", "--quick"], {
    env: { ...process.env, ...sizes, BENCH_PROCS: String(procs), BENCH_NO_RECORD: "1" },
    encoding: "utf8",
  });
  const out = `${r.stdout}${r.stderr}`;
  const e2e = /= (\d+) readings\/s/.exec(out);
  const copy = /plain COPY: (\d+) rows\/s/.exec(out);
  if (r.status !== 0 || !e2e) throw new Error(`bench-ingest with ${procs} process(es) failed:\n${out.slice(-2000)}`);
  runs.push({ procs, readingsPerS: Number(e2e[1]), copy: Number(copy?.[1] ?? NaN) });
  console.log(`[bench:scale] ${procs} process(es): ${e2e[1]} readings/s (same-run COPY ${copy?.[1]} rows/s)`);
}
const load1 = loadavg()[0]!;

interface CollectRun {
  procs: number;
  jobs: number;
  failed: number;
  seconds: number;
  pollsPerS: number;
  readingsPerS: number;
  requests: number;
}

/** Tago wells cloned from the demo fleet's shapes (one device token each), without delivery quirks. */
function benchWells(n: number): TagoFleetWell[] {
  const demo = fleetFor("tago");
  return Array.from({ length: n }, (_, i) => {
    const t = demo[i % demo.length]!;
    const id = `5b${i.toString(16).padStart(22, "0")}`;
    return {
      ...t,
      code: `B${i}`,
      deviceId: id,
      deviceRef: id,
      deviceToken: `00000000-0000-4000-b000-${i.toString(16).padStart(12, "0")}`,
      well: { ...t.well, id: `B${i}`, seed: t.well.seed ^ (i * 7919), quirks: {} },
    };
  });
}

/** The shipped providers.yaml with the Tago limiter lifted: the bench measures processes, not the provider's rate limit. */
function unlimitedConfig(): string {
  const cfg = parse(readFileSync("config/providers.yaml", "utf8")) as {
    kinds: Record<string, Record<string, unknown>>;
  };
  cfg.kinds.tago = { ...cfg.kinds.tago, rate_limit_per_min: 1_000_000 };
  mkdirSync("var/bench", { recursive: true });
  writeFileSync("var/bench/providers-scale.yaml", stringify(cfg));
  return "var/bench/providers-scale.yaml";
}

async function collectRun(procs: number, wells: TagoFleetWell[], providersConfig: string): Promise<CollectRun> {
  const runId = `${Date.now().toString(36)}${randomBytes(2).toString("hex")}`;
  const dbUrl = Object.assign(new URL(admin), { pathname: `/smarthydro_bench_collect_${runId}` }).toString();
  const prefix = `bench-collect-${runId}`;
  await ensureDatabase(dbUrl);
  await migrate(dbUrl);
  const pool = new pg.Pool({ connectionString: dbUrl, max: 4 });
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue("collect-tago", { connection: redis, prefix });
  const sim = createTagoSimulator({ devices: wells, faults: [{ mode: "slow", delayMs: COLLECT_LATENCY_MS }] });
  const children: ChildProcess[] = [];
  try {
    const simUrl = (await sim.listen(0)).url;
    const now = new Date();
    const c = await pool.query<{ id: number }>(
      `INSERT INTO client (name, rut, updated_at) VALUES ('Bench', '76000000-0', now()) RETURNING id`,
    );
    const credentials = encryptSecret(
      JSON.stringify(Object.fromEntries(wells.map((w) => [w.deviceRef, w.deviceToken]))),
    );
    // late_window 0 turns the late-data sweep off: one poll per binding is the whole workload.
    const a = await pool.query<{ id: number }>(
      `INSERT INTO provider_account (client_id, kind, name, base_url, credentials_enc, settings, updated_at) VALUES ($1, 'tago', 'bench', $2, $3, '{"collect":{"late_window_sec":0}}', now()) RETURNING id`,
      [c.rows[0]!.id, simUrl, credentials],
    );
    const bindingIds: number[] = [];
    for (const w of wells) {
      const p = await pool.query<{ id: number }>(
        `INSERT INTO capture_point (client_id, name, kind, expected_interval_min, updated_at) VALUES ($1, $2, 'groundwater', 5, now()) RETURNING id`,
        [c.rows[0]!.id, w.code],
      );
      // A daily poll slot: the children's own fan-out ticks collapse into the jobs enqueued below. Each poll reads the last hour.
      const b = await pool.query<{ id: number }>(
        `INSERT INTO point_binding (point_id, account_id, device_ref, poll_interval_sec, watermark_at, updated_at) VALUES ($1, $2, $3, 86400, $4, now()) RETURNING id`,
        [p.rows[0]!.id, a.rows[0]!.id, w.deviceRef, new Date(now.getTime() - 3600_000)],
      );
      for (const v of w.variables)
        await pool.query(`INSERT INTO binding_variable (binding_id, variable, key, unit) VALUES ($1, $2, $3, $4)`, [
          b.rows[0]!.id,
          v.variable,
          v.key,
          v.unit,
        ]);
      bindingIds.push(b.rows[0]!.id);
    }
    // Paused until every process is connected, so the clock starts with all of them taking work.
    await queue.pause();
    for (let i = 0; i < procs; i++) {
      children.push(
        spawn(process.execPath, ["--import", "tsx", "workers/main.ts"], {
          env: {
            ...process.env,
            DATABASE_URL: dbUrl,
            REDIS_URL: redisUrl,
            REDIS_NAMESPACE: prefix,
            WORKERS: "collector",
            PROVIDERS_CONFIG: providersConfig,
            METRICS_PORT: "0",
            LOG_LEVEL: "warn",
            NODE_ENV: "production",
            WORKER_ID: `collector-${i}`,
          },
          stdio: ["ignore", "inherit", "inherit"],
        }),
      );
    }
    const slot = slotStart(now, 86400_000);
    // This benchmark's own queue handle (its prefix); ids and options still come from the job definition.
    const tago = collectJobs.tago;
    await queue.addBulk(
      bindingIds.map((id) => {
        const data = tago.schema.parse({ bindingId: id, reason: "schedule", at: slot.toISOString() });
        return { name: tago.name, data, opts: { ...tago.options, jobId: tago.jobId(data) } };
      }),
    );
    const ready = Date.now() + 60_000;
    while ((await queue.getWorkersCount()) < procs) {
      if (Date.now() > ready)
        throw new Error(`only ${await queue.getWorkersCount()} of ${procs} collector processes connected`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const requests0 = sim.stats().requests;
    const t0 = performance.now();
    await queue.resume();
    let finished = 0;
    while (finished < bindingIds.length) {
      await new Promise((r) => setTimeout(r, 100));
      finished = (await queue.getCompletedCount()) + (await queue.getFailedCount());
    }
    const seconds = (performance.now() - t0) / 1000;
    const requests = sim.stats().requests - requests0;
    const done = await queue.getJobs(["completed"]);
    const readings = done.reduce(
      (sum, j) => sum + Number((j.returnvalue as { readings?: number } | null)?.readings ?? 0),
      0,
    );
    const failed = await queue.getFailedCount();
    const run = {
      procs,
      jobs: bindingIds.length,
      failed,
      seconds,
      pollsPerS: bindingIds.length / seconds,
      readingsPerS: readings / seconds,
      requests,
    };
    console.log(
      `[bench:scale] ${procs} collector process(es): ${run.jobs} polls (${failed} failed, ${requests} provider requests, ${readings} readings) in ${seconds.toFixed(1)} s = ${run.pollsPerS.toFixed(1)} polls/s, ${Math.round(run.readingsPerS)} readings/s`,
    );
    return run;
  } finally {
    for (const ch of children) if (ch.exitCode === null) ch.kill("SIGTERM");
    await Promise.all(children.map((ch) => new Promise((r) => (ch.exitCode !== null ? r(null) : ch.once("exit", r)))));
    await sim.close();
    await queue.close();
    await deleteKeysWithPrefix(redis, prefix);
    await redis.quit();
    await pool.end();
    await dropDatabase(dbUrl);
  }
}

const wells = benchWells(COLLECT_BINDINGS);
const collectConfig = unlimitedConfig();
const collectRuns: CollectRun[] = [];
for (const procs of [1, 2, 3]) collectRuns.push(await collectRun(procs, wells, collectConfig));
const load2 = loadavg()[0]!;

recordFigures(
  "scale",
  [
    ...runs.map((x) => ({
      id: `scale_${x.procs}_procs_readings_per_s`,
      label: `Ingest with ${x.procs} processor process(es)`,
      value: x.readingsPerS,
      unit: "readings/s",
      better: "higher" as const,
    })),
    ...collectRuns.map((x) => ({
      id: `scale_${x.procs}_collectors_polls_per_s`,
      label: `Polls with ${x.procs} collector process(es), ${COLLECT_LATENCY_MS} ms provider`,
      value: Number(x.pollsPerS.toFixed(1)),
      unit: "polls/s",
      better: "higher" as const,
    })),
  ],
  { quick, loadAvgStart: load0, path: "production processes" },
);
if (!quick) {
  writeSection(
    "scale-workers",
    [
      "## Throughput versus processor processes (`npm run bench:scale`)",
      "",
      `Run ${new Date().toISOString()} on ${machineLine()} (load average ${load0.toFixed(1)} → ${load1.toFixed(1)}); backlog of ${sizes.BENCH_POINTS} points × ${sizes.BENCH_HOURS} h × 1 min each run.`,
      "PostgreSQL and the workers share the same 2 cores, so growth flattens once the cores are busy; on separate database and worker hosts each process adds its own CPU.",
      "",
      "| processor processes | readings/s | same-run plain COPY rows/s | vs 1 process |",
      "|---:|---:|---:|---:|",
      ...runs.map(
        (x) =>
          `| ${x.procs} | ${x.readingsPerS.toLocaleString("en")} | ${x.copy.toLocaleString("en")} | ${(x.readingsPerS / runs[0]!.readingsPerS).toFixed(2)}× |`,
      ),
    ].join("\n"),
  );
  const k = parse(readFileSync("config/providers.yaml", "utf8")) as {
    kinds: { tago: { concurrency: number; rate_limit_per_min: number } };
  };
  writeSection(
    "scale-collectors",
    [
      "## Throughput versus collector processes (`npm run bench:scale`)",
      "",
      `Run ${new Date().toISOString()} on ${machineLine()} (load average ${load1.toFixed(1)} → ${load2.toFixed(1)}). Each run: a fresh database, ${COLLECT_BINDINGS} Tago bindings,`,
      `one scheduled poll each (the fan-out's job id for the slot; the processes' own fan-out ticks collapse into it) reading the last hour (1–60 samples × 3 variables, one page),`,
      `against a loopback Tago simulator that answers every request after ${COLLECT_LATENCY_MS} ms. \`WORKERS=collector\` processes with the shipped per-process concurrency (${k.kinds.tago.concurrency} Tago jobs at once);`,
      `the Tago limiter (${k.kinds.tago.rate_limit_per_min} jobs/min for the whole queue in config/providers.yaml) is lifted for the run, since with it every row would read ${(k.kinds.tago.rate_limit_per_min / 60).toFixed(1)} polls/s.`,
      "Each poll stores its page raw and enqueues it for processing; no processor runs, so the figures are the collectors' alone.",
      "",
      "| collector processes | polls | failed | provider requests | seconds | polls/s | readings/s | vs 1 process |",
      "|---:|---:|---:|---:|---:|---:|---:|---:|",
      ...collectRuns.map(
        (x) =>
          `| ${x.procs} | ${x.jobs} | ${x.failed} | ${x.requests} | ${x.seconds.toFixed(1)} | ${x.pollsPerS.toFixed(1)} | ${Math.round(x.readingsPerS).toLocaleString("en")} | ${(x.pollsPerS / collectRuns[0]!.pollsPerS).toFixed(2)}× |`,
      ),
    ].join("\n"),
  );
}
