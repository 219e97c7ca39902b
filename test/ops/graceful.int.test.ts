import { spawn, type ChildProcess } from "node:child_process";
import { Queue, Worker } from "bullmq";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { queueConnection, queuePrefix } from "@/server/queues/connection";
import { getPgPool } from "@/server/pg";
import { closeAll } from "@/test/db";

const prefix = process.env.REDIS_NAMESPACE!;
const admin = new Redis(process.env.REDIS_URL!);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(fn: () => Promise<T | undefined | false>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v) return v;
    if (Date.now() > end) throw new Error("timed out");
    await sleep(100);
  }
}

/** Kills only this run's BullMQ connections (named "<prefix>:…"), never other tests' clients. */
async function killOurRedisClients(): Promise<number> {
  const list = (await admin.client("LIST")) as string;
  const ids = list
    .split("\n")
    .filter((l) => new RegExp(`\\bname=${prefix}:`).test(l))
    .map((l) => /\bid=(\d+)/.exec(l)?.[1])
    .filter(Boolean) as string[];
  for (const id of ids) await admin.client("KILL", "ID", id);
  return ids.length;
}

afterAll(async () => {
  await admin.quit();
  await closeAll();
});

describe("SIGTERM drains the worker process", () => {
  it("finishes the job in flight, fails readiness while draining, loses nothing", async () => {
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "test/ops/fixtures/drain-harness.ts"], {
      env: { ...process.env, WORKERS: "ops-slow", METRICS_PORT: String(port), LOG_LEVEL: "warn", METRICS_TOKEN: "" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
    child.stdout?.on("data", (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
    const ready = `http://127.0.0.1:${port}/health/ready`;
    await until(async () => (await fetch(ready)).status === 200, 60_000);

    const q = new Queue("ops-slow", { connection: queueConnection(), prefix: queuePrefix() });
    for (const id of ["a", "b", "c"]) await q.add("slow", { id, ms: 2_500 }, { jobId: `slow-${id}`, attempts: 3 });
    await until(async () => (await q.getJobState("slow-a")) === "active").catch((e: Error) =>
      Promise.reject(new Error(`${e.message}; ${prefix}; child output: ${stderr}`)),
    );

    child.kill("SIGTERM");
    const draining = await until(async () => {
      const r = await fetch(ready);
      return r.status === 503 ? ((await r.json()) as { checks: { accepting: { ok: boolean } } }) : undefined;
    }, 5_000);
    expect(draining.checks.accepting.ok).toBe(false);

    expect(await exited, stderr).toBe(0);
    expect(await q.getJobState("slow-a")).toBe("completed");
    expect(await admin.smembers(`${prefix}:ops-done`)).toEqual(["a"]);
    // Not started before the drain: still queued for the next process, none failed or stuck active.
    expect(await q.getJobState("slow-b")).toBe("waiting");
    expect(await q.getJobState("slow-c")).toBe("waiting");
    expect(await q.getJobCounts("active", "failed")).toEqual({ active: 0, failed: 0 });
    await q.obliterate({ force: true });
    await q.close();
  }, 90_000);
});

describe("reconnects", () => {
  it("keeps processing after its Redis connections are killed and its PostgreSQL sessions terminated", async () => {
    const name = "ops-reconnect";
    const done: string[] = [];
    const worker = new Worker(
      name,
      async (job) => {
        await getPgPool().query("SELECT 1");
        done.push(job.id!);
      },
      { connection: queueConnection(), prefix: queuePrefix(), concurrency: 2 },
    );
    worker.on("error", () => {});
    const q = new Queue(name, { connection: queueConnection(), prefix: queuePrefix() });
    q.on("error", () => {});
    const opts = { attempts: 5, backoff: { type: "fixed", delay: 200 } };
    await q.add("j", {}, { jobId: "before", ...opts });
    await until(async () => done.includes("before"));

    expect(await killOurRedisClients()).toBeGreaterThan(0);
    await getPgPool().query(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
    );
    await sleep(300);
    for (const id of ["after-1", "after-2", "after-3"]) await q.add("j", {}, { jobId: id, ...opts });
    await until(async () => ["after-1", "after-2", "after-3"].every((id) => done.includes(id)), 30_000);
    expect(await q.getJobCounts("failed")).toEqual({ failed: 0 });
    await worker.close();
    await q.obliterate({ force: true });
    await q.close();
  }, 60_000);
});
