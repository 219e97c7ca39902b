import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { loadavg } from "node:os";
import { existsSync, mkdirSync, openSync, rmSync } from "node:fs";
import { dropDatabase, ensureDatabase, migrate } from "../server/db/migrate";
import { reportPageTimes } from "./page-times-report";

/**
 * Browser tests run the real product: a fresh database, the demo seed, the simulators and the
 * built standalone Next.js server (`npm run build`, as the image runs it), all on loopback. Logs go to e2e/results/.
 */
const PG_ADMIN = process.env.PG_ADMIN_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const PORT = Number(process.env.E2E_PORT ?? 3123);

async function waitFor(url: string, ms: number) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${url} did not come up in ${ms} ms`);
}

export default async function setup() {
  const loadAvgStart = loadavg()[0]!;
  const runId = `${Date.now().toString(36)}${randomBytes(3).toString("hex")}`;
  const dbName = `smarthydro_e2e_${runId}`;
  const url = new URL(PG_ADMIN);
  url.pathname = `/${dbName}`;
  const env = {
    ...process.env,
    NODE_ENV: "production" as const,
    NEXT_TELEMETRY_DISABLED: "1",
    DATABASE_URL: url.toString(),
    REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379/0",
    REDIS_NAMESPACE: `she2e-${runId}`,
    AUTH_SECRET: randomBytes(32).toString("hex"),
    ENCRYPTION_KEY: randomBytes(32).toString("hex"),
    APP_URL: `http://127.0.0.1:${PORT}`,
    AUTH_URL: `http://127.0.0.1:${PORT}`,
    LOG_LEVEL: "info",
    // Login throttle stays on, with room for every journey of the run.
    LOGIN_CONSECUTIVE_FAILS: "20",
    SSE_MAX_STREAMS: "20",
    DGA_CENTRO_CONTROL_RUT: "76455593-7",
  };
  await ensureDatabase(env.DATABASE_URL);
  await migrate(env.DATABASE_URL);
  mkdirSync("e2e/results", { recursive: true });
  mkdirSync("e2e/screenshots", { recursive: true });
  // Page times are merged across this run's test files; a previous run's samples must not count.
  rmSync("e2e/results/page-times.json", { force: true });

  const seed = spawnSync("npx", ["tsx", "scripts/seed-demo.ts", "--production-demo"], { env, encoding: "utf8" });
  if (seed.status !== 0) throw new Error(`seed failed: ${seed.stderr}`);

  if (!existsSync(".next/standalone/server.js") || process.env.E2E_BUILD !== "0") {
    const b = spawnSync("npm", ["run", "build"], {
      env: env,
      encoding: "utf8",
      stdio: ["ignore", openSync("e2e/results/build.log", "w"), openSync("e2e/results/build.log", "a")],
    });
    if (b.status !== 0) throw new Error("npm run build failed; see e2e/results/build.log");
  }

  const children: ChildProcess[] = [];
  const start = (name: string, cmd: string, args: string[], extra: Record<string, string> = {}) => {
    const out = openSync(`e2e/results/${name}.log`, "w");
    const c = spawn(cmd, args, { env: { ...env, ...extra }, stdio: ["ignore", out, out], detached: false });
    children.push(c);
    return c;
  };
  // The production server as the image runs it (Next's standalone output).
  start("web", "node", [".next/standalone/server.js"], { PORT: String(PORT), HOSTNAME: "127.0.0.1" });
  await waitFor(`http://127.0.0.1:${PORT}/api/health`, 60_000);
  process.env.E2E_BASE_URL = `http://127.0.0.1:${PORT}`;
  process.env.E2E_DATABASE_URL = env.DATABASE_URL;

  return async () => {
    reportPageTimes(undefined, loadAvgStart);
    for (const c of children) c.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 500));
    await dropDatabase(env.DATABASE_URL);
  };
}
