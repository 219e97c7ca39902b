import { execFile } from "node:child_process";
import { readdirSync } from "node:fs";
import { promisify } from "node:util";
import { sleep } from "./children";

const run = promisify(execFile);

/** The machine's Redis, started exactly as scripts/services.sh does (no persistence: a restart loses every key). */
const REDIS_START_ARGS = [
  "--daemonize",
  "yes",
  "--bind",
  "127.0.0.1",
  "-::1",
  "--port",
  "6379",
  "--save",
  "",
  "--appendonly",
  "no",
  "--dir",
  "/var/lib/redis",
  "--logfile",
  "/var/log/redis/ci.log",
];

async function redisUp(): Promise<boolean> {
  try {
    const r = await run("redis-cli", ["-h", "127.0.0.1", "-p", "6379", "ping"], { timeout: 2_000 });
    return r.stdout.trim() === "PONG";
  } catch {
    return false;
  }
}

async function pgUp(): Promise<boolean> {
  try {
    await run("pg_isready", ["-h", "127.0.0.1", "-p", "5432", "-q"], { timeout: 5_000 });
    return true;
  } catch {
    return false;
  }
}

async function until(up: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await up())) {
    if (Date.now() > end) throw new Error(`${what} did not come back within ${timeoutMs} ms`);
    await sleep(200);
  }
}

export async function stopRedisNoSave(): Promise<void> {
  await run("redis-cli", ["-h", "127.0.0.1", "-p", "6379", "shutdown", "nosave"]).catch(() => {}); // the connection drops as it exits
  const end = Date.now() + 10_000;
  while ((await redisUp()) && Date.now() < end) await sleep(100);
}

/** Starts Redis if it is down and waits for PING; safe to call any number of times (finally blocks). */
export async function ensureRedis(timeoutMs = 30_000): Promise<void> {
  if (await redisUp()) return;
  await run("mkdir", ["-p", "/var/lib/redis", "/var/log/redis"]);
  await run("redis-server", REDIS_START_ARGS).catch(() => {}); // a racing start fails on the port; PING decides
  await until(redisUp, timeoutMs, "Redis");
}

function pgVersion(): string {
  return readdirSync("/etc/postgresql")
    .sort((a, b) => Number(a) - Number(b))
    .at(-1)!;
}

export async function pgCtl(action: "start" | "restart"): Promise<void> {
  await run("pg_ctlcluster", ["--skip-systemctl-redirect", pgVersion(), "main", action], { timeout: 120_000 });
}

/** Starts PostgreSQL if it is down and waits for pg_isready; safe to call any number of times. */
export async function ensurePostgres(timeoutMs = 60_000): Promise<void> {
  if (await pgUp()) return;
  await pgCtl("start").catch(() => {});
  await until(pgUp, timeoutMs, "PostgreSQL");
}
