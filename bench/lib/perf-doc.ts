import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import path from "node:path";

/**
 * Shared output of every benchmark: its markdown section of docs/PERFORMANCE.md (full runs only) and
 * its figures as JSON, which `npm run bench` turns into the summary table and the --quick regression
 * check. Quick runs never touch the documentation; they write to var/bench/.
 */
export interface Figure {
  id: string;
  label: string;
  value: number;
  unit: string;
  /** The figure an issue names: met when value op target holds. */
  target?: { op: "<=" | ">="; value: number };
  /** Where it was measured: through the deployed processes over HTTP, or service code called in-process. */
  path?: "production HTTP" | "in-process" | "production processes" | "browser over HTTP";
  /** Which way is better, for the quick regression check (defaults from target.op, else "higher"). */
  better?: "higher" | "lower";
  /** Why the quick regression check leaves it out: it swings by more than the 3× allowance between quick runs. */
  unguarded?: string;
}

export interface BenchResult {
  bench: string;
  at: string;
  quick: boolean;
  machine: string;
  loadAvgStart?: number;
  loadAvgEnd: number;
  /** The `npm run bench` invocation that produced it (BENCH_RUN_ID, set by bench/main.ts). */
  runId?: string;
  figures: Figure[];
}

const PERF_DOC = "docs/PERFORMANCE.md";
export const isQuick = (argv = process.argv) => argv.includes("--quick");

export function machineLine(): string {
  const c = cpus();
  return `${c.length} × ${c[0]?.model.trim() ?? "cpu"}, ${Math.round(totalmem() / 2 ** 30)} GiB, ${process.platform}/${process.arch}, Node ${process.version}`;
}

export function resultsFile(quick: boolean): string {
  return quick ? "var/bench/quick-results.json" : "docs/perf/results.json";
}

export function readResults(file: string): Record<string, BenchResult> {
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Record<string, BenchResult>) : {};
}

export function recordFigures(
  bench: string,
  figures: Figure[],
  /** path: where the bench's figures were measured, for those that do not say it themselves. */
  opts: { quick: boolean; loadAvgStart?: number; path?: Figure["path"] },
): void {
  const file = resultsFile(opts.quick);
  mkdirSync(path.dirname(file), { recursive: true });
  const all = readResults(file);
  all[bench] = {
    bench,
    at: new Date().toISOString(),
    quick: opts.quick,
    machine: machineLine(),
    loadAvgStart: opts.loadAvgStart,
    loadAvgEnd: Number(loadavg()[0]!.toFixed(2)),
    runId: process.env.BENCH_RUN_ID,
    figures: figures.map((f) => (f.path || !opts.path ? f : { ...f, path: opts.path })),
  };
  writeFileSync(file, `${JSON.stringify(all, null, 2)}\n`);
}

/** Replaces this bench's section between its markers, leaving every other section as it is. */
export function writeSection(bench: string, markdown: string, file = PERF_DOC): void {
  const begin = `<!-- bench:${bench} -->`;
  const end = `<!-- /bench:${bench} -->`;
  const section = `${begin}\n${markdown.trim()}\n${end}`;
  const current = existsSync(file) ? readFileSync(file, "utf8") : "# Performance\n";
  const a = current.indexOf(begin);
  const b = current.indexOf(end);
  const next =
    a >= 0 && b > a
      ? current.slice(0, a) + section + current.slice(b + end.length)
      : `${current.trimEnd()}\n\n${section}\n`;
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, next);
}

export function met(f: Figure): "met" | "not met" | "—" {
  if (!f.target) return "—";
  return (f.target.op === "<=" ? f.value <= f.target.value : f.value >= f.target.value) ? "met" : "not met";
}
