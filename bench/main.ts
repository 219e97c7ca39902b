/**
 * `npm run bench` runs every benchmark in turn, each on a fresh database, and writes the summary of
 * docs/PERFORMANCE.md (machine, date, every figure the issues name, met or not).
 * `npm run bench -- --quick` runs the small profiles (CI): it leaves the docs alone and fails only
 * when a figure is more than 3× worse than its documented quick value (docs/perf/quick-baseline.json) and by more than a floor (25 ms, 0.5 s).
 * `--update-baseline` (with --quick) records the current quick figures as the baseline.
 * `--only webhook,dga` restricts the set.
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import {
  isQuick,
  machineLine,
  met,
  readResults,
  resultsFile,
  writeSection,
  type BenchResult,
  type Figure,
} from "./lib/perf-doc";
import { calibrationMs } from "./lib/calibrate";

const BENCHES = ["ingest", "scale", "webhook", "realtime", "analytics", "dga", "image", "forecast"] as const;
/** Pure-CPU benchmarks: their own script, no database. */
const PURE: Partial<Record<string, string>> = { forecast: "bench/forecast.ts" };
const BASELINE = "docs/perf/quick-baseline.json";
const FACTOR = 3;
const FLOOR: Record<string, number> = { ms: 25, s: 0.5 };
/** The CPU calibration (bench/lib/calibrate.ts) around a benchmark when its baseline was recorded. */
const calibrationKey = (bench: string) => `_calibration_ms:${bench}`;

const quick = isQuick();
const onlyArg = process.argv.indexOf("--only");
const only = onlyArg >= 0 ? process.argv[onlyArg + 1]!.split(",") : null;
// The scaling run repeats the ingest bench three times and the image run starts every worker kind twice; they
// document growth and footprint and have no quick regression value.
const selected = BENCHES.filter((b) => (!only || only.includes(b)) && !(quick && (b === "scale" || b === "image")));

const admin = process.env.PG_ADMIN_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const env: NodeJS.ProcessEnv = {
  ...process.env,
  NODE_ENV: "production",
  LOG_LEVEL: process.env.LOG_LEVEL ?? "error",
  AUTH_SECRET: process.env.AUTH_SECRET ?? randomBytes(32).toString("hex"),
  ENCRYPTION_KEY: process.env.ENCRYPTION_KEY ?? randomBytes(32).toString("hex"),
  REDIS_NAMESPACE: `bench-${randomBytes(3).toString("hex")}`,
  BENCH_RUN_ID: new Date().toISOString().slice(0, 16),
};

/** Per benchmark: the machine's CPU calibration before and after it (the larger is used). */
const calibration: Record<string, number> = {};
function run(bench: string): boolean {
  const before = calibrationMs();
  try {
    return runOne(bench);
  } finally {
    calibration[bench] = Math.max(before, calibrationMs());
  }
}

function runOne(bench: string): boolean {
  const pure = PURE[bench];
  if (pure) {
    console.log(`\n=== bench:${bench}${quick ? " --quick" : ""} (load average ${loadavg()[0]!.toFixed(1)})`);
    return spawnSync("npx", ["tsx", pure, ...(quick ? ["--quick"] : [])], { env, stdio: "inherit" }).status === 0;
  }
  const script = `bench/${bench}.ts`;
  if (!existsSync(script)) {
    console.log(`· ${bench}: no script, skipped`);
    return true;
  }
  const dbUrl = Object.assign(new URL(admin), {
    pathname: `/smarthydro_bench_${bench}_${randomBytes(3).toString("hex")}`,
  }).toString();
  console.log(`\n=== bench:${bench}${quick ? " --quick" : ""} (load average ${loadavg()[0]!.toFixed(1)})`);
  const r = spawnSync("npx", ["tsx", "bench/with-db.ts", dbUrl, script, ...(quick ? ["--quick"] : [])], {
    env,
    stdio: "inherit",
  });
  return r.status === 0;
}

const failures: string[] = [];
const summaryOnly = process.argv.includes("--summary-only");
if (!summaryOnly) for (const b of selected) if (!run(b)) failures.push(`bench:${b} exited with an error`);

const results = readResults(resultsFile(quick));
// Page load times come from the e2e run (e2e/page-times-report.ts), not from a script here.
// The quick check looks at what just ran; the documented summary always lists every benchmark's last full run.
const rows = (quick ? [...selected] : [...BENCHES, "pages"]).flatMap((b) =>
  (results[b]?.figures ?? []).map((f) => ({ bench: b, f, r: results[b]! })),
);

if (quick) {
  const baseline = existsSync(BASELINE) ? (JSON.parse(readFileSync(BASELINE, "utf8")) as Record<string, number>) : {};
  for (const { bench, f } of rows) {
    const baseCalibration = baseline[calibrationKey(bench)];
    const doc = baseline[f.id];
    if (doc === undefined) continue;
    if (f.unguarded) {
      console.log(`· ${f.label}: ${f.value} ${f.unit} (not guarded: ${f.unguarded})`);
      continue;
    }
    const better = f.better ?? (f.target?.op === "<=" ? "lower" : "higher");
    // A loaded machine slows every figure alike: the allowance grows by how much slower the CPU calibration
    // ran around this benchmark than when the baseline was recorded (never below 3×).
    const slowdown = baseCalibration && calibration[bench] ? Math.max(1, calibration[bench] / baseCalibration) : 1;
    const factor = FACTOR * slowdown;
    // Tiny latencies swing by more than 3× with the machine's load; a figure also has to move by a floor.
    const floor = FLOOR[f.unit] ?? 0;
    const worse =
      better === "higher"
        ? f.value < doc / factor && doc - f.value > floor
        : f.value > doc * factor && f.value - doc > floor;
    console.log(
      `${worse ? "✗" : "✓"} ${f.label}: ${f.value} ${f.unit} (documented quick value ${doc}, allowance ${factor.toFixed(1)}×)`,
    );
    if (worse) failures.push(`${f.label}: ${f.value} ${f.unit} is more than ${factor.toFixed(1)}× worse than ${doc}`);
  }
  if (process.argv.includes("--update-baseline")) {
    // Merged: a baseline updated with --only keeps the other benchmarks' values.
    const merged = {
      ...baseline,
      ...Object.fromEntries(rows.map(({ f }) => [f.id, f.value])),
      ...Object.fromEntries(Object.entries(calibration).map(([b, ms]) => [calibrationKey(b), ms])),
    };
    writeFileSync(BASELINE, `${JSON.stringify(merged, null, 2)}\n`);
    console.log(`baseline written to ${BASELINE}`);
  }
} else {
  writeSection("summary", summary(rows));
}

if (failures.length) {
  console.error(`\n${failures.length} benchmark failure(s):\n- ${failures.join("\n- ")}`);
  process.exit(1);
}
console.log("\nbenchmarks done");

function summary(list: { bench: string; f: Figure; r: BenchResult }[]): string {
  const fmt = (f: Figure) => `${f.value.toLocaleString("en-US", { maximumFractionDigits: 1 })} ${f.unit}`;
  const target = (f: Figure) =>
    f.target ? `${f.target.op === "<=" ? "≤" : "≥"} ${f.target.value.toLocaleString("en-US")} ${f.unit}` : "—";
  const latest = list
    .map(({ r }) => r.runId ?? "")
    .sort()
    .at(-1);
  const older = list.filter(({ r }) => (r.runId ?? "") !== latest).length;
  return [
    "## Summary (`npm run bench`)",
    "",
    `Machine: ${machineLine()}. PostgreSQL 15 and Redis 7 on the same machine. Each row comes from the section below it was measured in;`,
    "load average (1 min) at the start and end of each benchmark shows how quiet the machine was (above ~1.5 on 2 cores, other work",
    'shared the CPU and latencies are inflated). "production HTTP": the built processes as deployed (REST API process, Next standalone',
    'server, ingest gateway, bundled workers) loaded over loopback by a separate process; "production processes": the built worker',
    'processes doing the work; "browser over HTTP": Chromium loading the portal; "in-process": service code called from the bench process.',
    "",
    "| figure | target | measured | path measured | status | run (load avg start→end) |",
    "|---|---|---|---|---|---|",
    ...list.map(
      ({ bench, f, r }) =>
        `| ${f.label} | ${target(f)} | ${fmt(f)} | ${f.path ?? "—"} | ${met(f)} | ${bench} ${r.at.slice(0, 16).replace("T", " ")} UTC${(r.runId ?? "") === latest ? "" : " †"} (${r.loadAvgStart?.toFixed(1) ?? "?"}→${r.loadAvgEnd.toFixed(1)}) |`,
    ),
    "",
    older
      ? `† ${older} row(s) come from an earlier \`npm run bench\` than the latest (run ${latest} UTC): re-run \`npm run bench\` on a quiet machine for one consistent set.`
      : `Every row comes from one \`npm run bench\` run (${latest} UTC).`,
    "",
    "Rows come from the last full run of each benchmark (`docs/perf/results.json`), so a benchmark re-run alone (`--only`) updates",
    "its rows and keeps the others. Runs on different dates or loads are not directly comparable: see each section.",
  ].join("\n");
}
