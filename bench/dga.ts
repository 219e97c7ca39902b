/**
 * DGA submission benchmark: N Mayor points with one due slot each, sent to the in-process MEE
 * sandbox (200 ms latency) by the real BullMQ submission workers. Asserts every slot sent once.
 *   npm run bench:dga            # 10,000 points
 *   npm run bench:dga -- --quick # 500 points
 * Options: --points N, --workers W (default 2), --concurrency C per worker (default 96).
 */
import { randomBytes } from "node:crypto";
import { machineLine, recordFigures, writeSection } from "@/bench/lib/perf-doc";
import pg from "pg";
import { Redis } from "ioredis";

const args = process.argv.slice(2);
const opt = (name: string, dflt: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const quick = args.includes("--quick");
const N = opt("points", quick ? 500 : 10_000);
const WORKERS = opt("workers", 2);
const CONCURRENCY = opt("concurrency", 96);
const LATENCY_MS = 200;
const BUDGET_MS = 10 * 60_000;

const runId = `${Date.now().toString(36)}${randomBytes(2).toString("hex")}`;
const admin = new URL(process.env.PG_ADMIN_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres");
const dbUrl = new URL(admin.toString());
dbUrl.pathname = `/smarthydro_bench_${runId}`;
Object.assign(process.env, {
  DATABASE_URL: dbUrl.toString(),
  REDIS_NAMESPACE: `bench-dga-${runId}`,
  AUTH_SECRET: process.env.AUTH_SECRET ?? "bench-auth-secret-0123456789abcdef0123456789",
  ENCRYPTION_KEY: process.env.ENCRYPTION_KEY ?? randomBytes(32).toString("hex"),
  LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
});

const { dropDatabase, ensureDatabase, migrate } = await import("../server/db/migrate");
const { deleteKeysWithPrefix } = await import("../server/redis");
const { encryptSecret } = await import("../server/crypto");
const { dgaConfig } = await import("../server/dga/config");
const { runCycle } = await import("../server/dga/cycle");
const { enqueueSubmissions } = await import("../server/dga/jobs");
const { closeQueues } = await import("../server/queues/connection");
const { floorToSlot } = await import("../domain/dga/slots");
const { DEFAULT_STANDARDS } = await import("../domain/dga/standards");
const { createDgaSandbox } = await import("../simulators/dga-sandbox/server");
const { startDgaWorkers } = await import("../server/dga/jobs");
const { parseJobHostEnv } = await import("../server/jobs/env");
const { createJobHost } = await import("../server/jobs/worker");

const log = (msg: string) => console.log(`[bench:dga] ${msg}`);
await ensureDatabase(dbUrl.toString());
await migrate(dbUrl.toString());
const pool = new pg.Pool({ connectionString: dbUrl.toString(), max: 16 * WORKERS });
pool.on("error", () => {});
const sandbox = createDgaSandbox({ latencyMs: LATENCY_MS });
const { url, baseUrl } = await sandbox.listen(0, "127.0.0.1");
let exitCode = 1;
const workers: { close(): Promise<void> }[] = [];

try {
  const now = new Date();
  const slotAt = floorToSlot(DEFAULT_STANDARDS.mayor, now);
  const client = await pool.query<{ id: number }>(
    `INSERT INTO client (name, rut, updated_at) VALUES ('Bench', '76455593-7', now()) RETURNING id`,
  );
  const clientId = client.rows[0]!.id;
  const inf = await pool.query<{ id: number }>(
    `INSERT INTO dga_informante (client_id, name, rut, password_enc, updated_at) VALUES ($1, 'Bench', '12345678-5', $2, now()) RETURNING id`,
    [clientId, encryptSecret("clave-mee")],
  );
  const seq = Array.from({ length: N }, (_, i) => i + 1);
  await pool.query(
    `INSERT INTO capture_point (client_id, name, kind, obra_code, dga_standard, dga_transport, informante_id, granted_flow_lps, updated_at)
     SELECT $1, 'Pozo ' || i, 'groundwater', 'OB-0602-' || i, 'mayor', 'live', $2, 100, now() FROM unnest($3::int[]) AS i`,
    [clientId, inf.rows[0]!.id, seq],
  );
  await pool.query(
    `INSERT INTO dga_slot (point_id, slot_at, standard, state, reasons, flow_lps, totalizer_m3, level_m, updated_at)
     SELECT id, $1, 'mayor', 'pending', '{}', 10 + (id % 900) / 100.0, 100000 + id, 5.25, now() FROM capture_point`,
    [slotAt],
  );
  log(
    `seeded ${N} Mayor points, slot ${slotAt.toISOString()}; sandbox ${baseUrl} (${LATENCY_MS} ms); ${WORKERS} workers × concurrency ${CONCURRENCY}`,
  );

  const cfg = dgaConfig({
    apiUrl: baseUrl,
    centroControlRut: "76455593-7",
    submissionEnabled: true,
    receiptSampleSize: 0,
  });
  for (let w = 0; w < WORKERS; w++)
    workers.push(
      await startDgaWorkers(
        createJobHost(parseJobHostEnv(process.env)),
        { pool, cfg: { ...cfg, workerId: `bench-${w}` }, submitConcurrency: CONCURRENCY },
        { cycle: false },
      ),
    );

  const t0 = Date.now();
  const cycle = await runCycle({ pool, now: new Date(), cfg, dispatch: (p) => enqueueSubmissions(p) });
  const cycleMs = Date.now() - t0;
  log(`cycle planned ${cycle.dispatched} sends in ${cycleMs} ms`);
  let sent = 0;
  while (Date.now() - t0 < BUDGET_MS + 60_000) {
    sent = (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM dga_slot WHERE state = 'sent'`)).rows[0]!.n;
    if (sent >= N) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const elapsedMs = Date.now() - t0;
  const stats = (
    await pool.query<{ attempts: number; p50: number; p95: number; first: Date; last: Date }>(
      `SELECT count(*)::int AS attempts, percentile_cont(0.5) WITHIN GROUP (ORDER BY duration_ms) AS p50, percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms) AS p95 FROM dga_attempt`,
    )
  ).rows[0]!;
  const adminRecords = (await (await fetch(`${url}/__admin/records`)).json()) as {
    records: unknown[];
    posts: { posts: number; duplicates: number }[];
  };
  const resent = adminRecords.posts.filter((p) => p.posts > 1).length;
  const duplicates = adminRecords.posts.reduce((a, p) => a + p.duplicates, 0);
  const ok =
    sent === N && adminRecords.records.length === N && resent === 0 && duplicates === 0 && elapsedMs <= BUDGET_MS;
  const rate = (N / (elapsedMs / 1000)).toFixed(1);
  log(
    `${sent}/${N} sent in ${(elapsedMs / 1000).toFixed(1)} s (${rate} slots/s); attempts ${stats.attempts}; POST p50 ${Math.round(stats.p50)} ms, p95 ${Math.round(stats.p95)} ms`,
  );
  log(
    `sandbox: ${adminRecords.records.length} records, ${resent} keys POSTed more than once, ${duplicates} duplicate answers → ${ok ? "PASS" : "FAIL"}`,
  );

  recordFigures(
    "dga",
    [
      {
        id: "dga_seconds_to_submit",
        label: `DGA: ${N} Mayor slots submitted (sandbox ${LATENCY_MS} ms)`,
        value: Number((elapsedMs / 1000).toFixed(1)),
        unit: "s",
        ...(quick ? { better: "lower" as const } : { target: { op: "<=" as const, value: 600 } }),
      },
      {
        id: "dga_duplicates",
        label: "DGA: slots POSTed twice or answered as duplicate",
        value: resent + duplicates,
        unit: "slots",
        target: { op: "<=", value: 0 },
      },
    ],
    // The real BullMQ submission workers, in this process, against the MEE sandbox over loopback HTTP.
    { quick, path: "in-process" },
  );
  if (!quick)
    writeSection(
      "dga",
      [
        "## DGA submission (bench:dga)",
        "",
        `Last run: ${new Date().toISOString()} (full) on ${machineLine()}.`,
        "",
        "| points (Mayor, 1 due slot each) | workers × concurrency | sandbox latency | time to submit all | throughput | POST p50 / p95 | sandbox records | keys POSTed twice | duplicate answers | budget (10 min) |",
        "|---|---|---|---|---|---|---|---|---|---|",
        `| ${N} | ${WORKERS} × ${CONCURRENCY} | ${LATENCY_MS} ms | ${(elapsedMs / 1000).toFixed(1)} s | ${rate} slots/s | ${Math.round(stats.p50)} / ${Math.round(stats.p95)} ms | ${adminRecords.records.length} | ${resent} | ${duplicates} | ${ok ? "PASS" : "FAIL"} |`,
        "",
        "Path measured: one DGA cycle plans one send per obra and enqueues `dga-${slotId}-${attempt}` jobs; the BullMQ",
        "submission workers claim each slot with the conditional UPDATE (per-obra advisory lock), POST to the in-process",
        "MEE sandbox, write the DgaAttempt row, then the slot state. Reproduce with `npm run bench:dga` (or `-- --quick`).",
      ].join("\n"),
    );
  exitCode = ok ? 0 : 1;
} finally {
  await Promise.allSettled(workers.map((w) => w.close()));
  await closeQueues();
  await sandbox.close();
  await pool.end();
  await cleanup();
}
process.exit(exitCode);

async function cleanup(): Promise<void> {
  await dropDatabase(dbUrl.toString());
  const redis = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379/0");
  await deleteKeysWithPrefix(redis, process.env.REDIS_NAMESPACE!);
  await redis.quit();
}
