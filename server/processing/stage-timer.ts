/**
 * Cumulative wall time per pipeline stage, printed to stderr at exit when the worker was started with
 * the `--stage-timing` argument (scripts/bench-ingest.ts does; a no-op otherwise).
 */
const enabled = process.argv.includes("--stage-timing");
const totals = new Map<string, { ms: number; n: number }>();

export function stageTimer(): (stage: string) => void {
  if (!enabled) return () => {};
  let last = performance.now();
  return (stage) => {
    const now = performance.now();
    const t = totals.get(stage) ?? { ms: 0, n: 0 };
    t.ms += now - last;
    t.n++;
    totals.set(stage, t);
    last = now;
  };
}

if (enabled) {
  process.on("exit", () => {
    const rows = [...totals].map(([k, v]) => `${k}=${Math.round(v.ms)}ms/${v.n}`);
    process.stderr.write(`[stage-timer ${process.pid}] ${rows.join(" ")}\n`);
  });
}
