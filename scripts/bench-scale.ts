/**
 * Throughput versus number of processor processes: the ingest benchmark (scripts/bench-ingest.ts) run
 * with 1, 2 and 3 worker processes on the same backlog size. Correctness with several processes at once
 * (exactly once, per-point consistency) is asserted by test/faults/scale-workers.fault.test.ts.
 *   npm run bench:scale [-- --quick]
 */
import { spawnSync } from "node:child_process";
import { loadavg } from "node:os";
import { isQuick, machineLine, recordFigures, writeSection } from "@/bench/lib/perf-doc";

const quick = isQuick();
const sizes = { BENCH_POINTS: quick ? "100" : "300", BENCH_HOURS: quick ? "6" : "24" };
const load0 = loadavg()[0]!;
const runs: { procs: number; readingsPerS: number; copy: number }[] = [];
for (const procs of [1, 2, 3]) {
  const r = spawnSync("npx", ["tsx", "scripts/bench-ingest.ts", "--quick"], { env: { ...process.env, ...sizes, BENCH_PROCS: String(procs), BENCH_NO_RECORD: "1" }, encoding: "utf8" });
  const out = `${r.stdout}${r.stderr}`;
  const e2e = /= (\d+) readings\/s/.exec(out);
  const copy = /plain COPY: (\d+) rows\/s/.exec(out);
  if (r.status !== 0 || !e2e) throw new Error(`bench-ingest with ${procs} process(es) failed:\n${out.slice(-2000)}`);
  runs.push({ procs, readingsPerS: Number(e2e[1]), copy: Number(copy?.[1] ?? NaN) });
  console.log(`[bench:scale] ${procs} process(es): ${e2e[1]} readings/s (same-run COPY ${copy?.[1]} rows/s)`);
}
recordFigures("scale", runs.map((x) => ({ id: `scale_${x.procs}_procs_readings_per_s`, label: `Ingest with ${x.procs} processor process(es)`, value: x.readingsPerS, unit: "readings/s", better: "higher" as const })), { quick, loadAvgStart: load0 });
if (!quick) {
  writeSection("scale-workers", [
    "## Throughput versus processor processes (`npm run bench:scale`)",
    "",
    `Run ${new Date().toISOString()} on ${machineLine()} (load average ${load0.toFixed(1)} → ${loadavg()[0]!.toFixed(1)}); backlog of ${sizes.BENCH_POINTS} points × ${sizes.BENCH_HOURS} h × 1 min each run.`,
    "PostgreSQL and the workers share the same 2 cores, so growth flattens once the cores are busy; on separate database and worker hosts each process adds its own CPU.",
    "",
    "| processor processes | readings/s | same-run plain COPY rows/s | vs 1 process |",
    "|---:|---:|---:|---:|",
    ...runs.map((x) => `| ${x.procs} | ${x.readingsPerS.toLocaleString("en")} | ${x.copy.toLocaleString("en")} | ${(x.readingsPerS / runs[0]!.readingsPerS).toFixed(2)}× |`),
  ].join("\n"));
}
