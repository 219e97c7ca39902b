/**
 * The production processes as deployed, for benchmarks that measure over HTTP: the Next standalone server
 * (`node .next/standalone/server.js`), the ingest gateway (`node dist/app/ingest.mjs`, ADR 0011), the REST API
 * process (`node dist/app/api.mjs`, ADR 0014) and
 * bundled workers (`node dist/app/workers.mjs`), built by `npm run build` (redone when a source is newer
 * than the build, as scripts/start.sh does). They get the benchmark's environment (DATABASE_URL,
 * REDIS_NAMESPACE, NODE_ENV=production, secrets) and stop with SIGTERM.
 * Ports: perf's 3240–3249 (web) and 4040–4049 (gateway, worker metrics, API); override with BENCH_WEB_PORT etc.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync } from "node:fs";

const SOURCES = "app components server domain workers cli config prisma public next.config.ts package-lock.json";

/** Builds unless .next/standalone and dist/app/{ingest,api}.mjs exist and no source is newer than the build. */
export function ensureBuild(log: (m: string) => void): void {
  const built =
    existsSync(".next/standalone/server.js") && existsSync("dist/app/ingest.mjs") && existsSync("dist/app/api.mjs");
  const stale =
    !built ||
    !existsSync("dist/BUILD_INFO.json") ||
    spawnSync("sh", ["-c", `find ${SOURCES} -newer dist/BUILD_INFO.json -type f -print -quit 2>/dev/null`], {
      encoding: "utf8",
    }).stdout.trim() !== "";
  if (!stale && process.env.BENCH_BUILD !== "1") return;
  log("building the production artefacts (npm run build; log in var/log/bench-build.log)");
  mkdirSync("var/log", { recursive: true });
  const r = spawnSync("sh", ["-c", "npm run build > var/log/bench-build.log 2>&1"], { stdio: "inherit" });
  if (r.status !== 0)
    throw new Error(`npm run build failed:\n${readFileSync("var/log/bench-build.log", "utf8").slice(-3000)}`);
}

export interface ProdProcesses {
  webUrl: string;
  ingestUrl: string;
  /** The REST API process, which serves /api/v1 to Bearer clients in production (ADR 0014). */
  apiUrl: string;
  workerMetricsUrl: string;
  pids: Record<string, number>;
  rssMb(): Record<string, number>;
  /** CPU time (user + system) each process has used so far, ms: per-request cost that load on the machine barely moves. */
  cpuMs(): Record<string, number>;
  stop(): Promise<void>;
}

async function waitOk(url: string, ms: number, proc: ChildProcess, name: string, out: () => string): Promise<void> {
  const until = Date.now() + ms;
  let last = "";
  while (Date.now() < until) {
    if (proc.exitCode !== null) throw new Error(`${name} exited ${proc.exitCode}: ${out().slice(-2000)}`);
    try {
      const r = await fetch(url);
      if (r.ok) return;
      last = `${r.status}`;
    } catch (e) {
      last = (e as Error).message;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${name} not ready at ${url} in ${ms} ms (${last}): ${out().slice(-2000)}`);
}

/**
 * CPU time (user + system) all PostgreSQL server processes on this machine have used so far, ms (from /proc):
 * the live processes' own time plus, from the postmaster, the time of its children that have exited (cutime +
 * cstime), so a backend that ends during a run does not make the difference negative.
 */
export function postgresCpuMs(): number {
  let total = 0;
  for (const pid of readdirSync("/proc")) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      if (!stat.includes("(postgres)")) continue;
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      total += (Number(f[11] ?? 0) + Number(f[12] ?? 0) + Number(f[13] ?? 0) + Number(f[14] ?? 0)) * 10;
    } catch {
      // the process ended between readdir and read
    }
  }
  return total;
}

/** Starts web + ingest gateway + REST API + the given worker kinds (one process) and waits until each is ready. */
export async function startProduction(
  opts: { workers?: string; env?: Record<string, string> } = {},
): Promise<ProdProcesses> {
  const webPort = Number(process.env.BENCH_WEB_PORT ?? 3240);
  const ingestPort = Number(process.env.BENCH_INGEST_PORT ?? 4040);
  const metricsPort = Number(process.env.BENCH_METRICS_PORT ?? 4041);
  const apiPort = Number(process.env.BENCH_API_PORT ?? 4042);
  const base: NodeJS.ProcessEnv = {
    ...process.env,
    ...opts.env,
    NODE_ENV: "production",
    LOG_LEVEL: process.env.LOG_LEVEL ?? "error",
    APP_URL: `http://127.0.0.1:${webPort}`,
    AUTH_URL: `http://127.0.0.1:${webPort}`,
  };
  const children: { name: string; c: ChildProcess; out: () => string }[] = [];
  const start = (name: string, args: string[], extra: Record<string, string>) => {
    const c = spawn("node", args, { env: { ...base, ...extra }, stdio: ["ignore", "pipe", "pipe"] });
    let text = "";
    const keep = (d: Buffer) => (text = (text + d.toString()).slice(-20_000));
    c.stdout!.on("data", keep);
    c.stderr!.on("data", keep);
    children.push({ name, c, out: () => text });
    return children.at(-1)!;
  };
  // Never leave servers behind when the benchmark dies (uncaught error, process.exit): they would hold the ports.
  process.once("exit", () => {
    for (const { c } of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  });
  const stop = async () => {
    await Promise.all(
      children.map(
        ({ c }) =>
          new Promise<void>((resolve) => {
            if (c.exitCode !== null || c.signalCode !== null) return resolve();
            const t = setTimeout(() => c.kill("SIGKILL"), 20_000);
            c.once("exit", () => {
              clearTimeout(t);
              resolve();
            });
            c.kill("SIGTERM");
          }),
      ),
    );
  };
  try {
    const webArgs = (process.env.BENCH_WEB_NODE_ARGS ?? "").split(" ").filter(Boolean);
    const web = start("web", [...webArgs, ".next/standalone/server.js"], {
      PORT: String(webPort),
      HOSTNAME: "127.0.0.1",
    });
    // BENCH_{WEB,INGEST,API}_NODE_ARGS="--cpu-prof --cpu-prof-dir=var/prof" profiles a process (written when it exits).
    const ingestArgs = (process.env.BENCH_INGEST_NODE_ARGS ?? "").split(" ").filter(Boolean);
    const ingest = start("ingest", [...ingestArgs, "dist/app/ingest.mjs"], { INGEST_PORT: String(ingestPort) });
    const apiArgs = (process.env.BENCH_API_NODE_ARGS ?? "").split(" ").filter(Boolean);
    const api = start("api", [...apiArgs, "dist/app/api.mjs"], { API_PORT: String(apiPort) });
    const worker = opts.workers
      ? start("workers", ["dist/app/workers.mjs"], {
          WORKERS: opts.workers,
          WORKER_ID: "bench",
          METRICS_PORT: String(metricsPort),
        })
      : null;
    await waitOk(`http://127.0.0.1:${webPort}/api/health`, 90_000, web.c, "web", web.out);
    await waitOk(`http://127.0.0.1:${ingestPort}/health/ready`, 60_000, ingest.c, "ingest", ingest.out);
    await waitOk(`http://127.0.0.1:${apiPort}/health/ready`, 60_000, api.c, "api", api.out);
    if (worker) await waitOk(`http://127.0.0.1:${metricsPort}/health/ready`, 60_000, worker.c, "workers", worker.out);
  } catch (e) {
    await stop();
    throw e;
  }
  return {
    webUrl: `http://127.0.0.1:${webPort}`,
    ingestUrl: `http://127.0.0.1:${ingestPort}`,
    apiUrl: `http://127.0.0.1:${apiPort}`,
    workerMetricsUrl: `http://127.0.0.1:${metricsPort}`,
    pids: Object.fromEntries(children.map(({ name, c }) => [name, c.pid!])),
    rssMb: () =>
      Object.fromEntries(
        children.map(({ name, c }) => {
          const status = existsSync(`/proc/${c.pid}/status`) ? readFileSync(`/proc/${c.pid}/status`, "utf8") : "";
          return [name, Math.round(Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024)];
        }),
      ),
    cpuMs: () =>
      Object.fromEntries(
        children.map(({ name, c }) => {
          const stat = existsSync(`/proc/${c.pid}/stat`) ? readFileSync(`/proc/${c.pid}/stat`, "utf8") : "";
          const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
          // Fields 14 and 15 of /proc/<pid>/stat (utime, stime) in clock ticks of 10 ms.
          return [name, (Number(f[11] ?? 0) + Number(f[12] ?? 0)) * 10];
        }),
      ),
    stop,
  };
}
