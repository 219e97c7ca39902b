/** Processor worker processes of the ingest benchmark (bench/ingest.ts): start, stop, stage timings, peak RSS. */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";

/** Per-stage wall time summed over the workers (server/processing/stage-timer.ts prints it at exit). */
const stageMs = new Map<string, number>();

export function startWorker(target: { dbUrl: string; redisUrl: string; prefix: string }): ChildProcess {
  const extra = (process.env.BENCH_NODE_ARGS ?? "").split(" ").filter(Boolean);
  const child = spawn(process.execPath, [...extra, "dist/app/workers.mjs", "--stage-timing"], {
    env: {
      ...process.env,
      DATABASE_URL: target.dbUrl,
      REDIS_URL: target.redisUrl,
      REDIS_NAMESPACE: target.prefix,
      WORKERS: "processor",
      METRICS_PORT: "0",
      LOG_LEVEL: "warn",
      NODE_ENV: "production",
      AUTH_SECRET: process.env.AUTH_SECRET ?? "bench-auth-secret-0123456789abcdef0123456789",
      ENCRYPTION_KEY: process.env.ENCRYPTION_KEY ?? randomBytes(32).toString("hex"),
    },
    stdio: ["ignore", "inherit", "pipe"],
  });
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => {
    process.stderr.write(chunk);
    for (const line of chunk.split("\n").filter((l) => l.startsWith("[stage-timer"))) {
      for (const [, k, ms] of line.matchAll(/ ([\w+-]+)=(\d+)ms/g))
        stageMs.set(k!, (stageMs.get(k!) ?? 0) + Number(ms));
    }
  });
  return child;
}

export async function stopWorkers(workers: ChildProcess[]): Promise<void> {
  for (const w of workers) if (w.exitCode === null) w.kill("SIGTERM");
  await Promise.all(workers.map((w) => new Promise((r) => (w.exitCode !== null ? r(null) : w.once("exit", r)))));
}

export function stageBreakdown(): string {
  const total = [...stageMs.values()].reduce((a, b) => a + b, 0);
  const top = [...stageMs].filter(([, ms]) => ms > 0).sort((a, b) => b[1] - a[1]);
  return top.map(([k, ms]) => `${k} ${((100 * ms) / total).toFixed(0)} % (${(ms / 1000).toFixed(1)} s)`).join(", ");
}

export const peakRssMb = (pid: number): number => {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) / 1024 : NaN;
};
