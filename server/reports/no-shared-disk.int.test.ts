import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeAll, getDb, truncateAll } from "@/test/db";
import { createFixture, type Fixture } from "@/test/fixture";
import { newApiKey } from "@/server/crypto";
import { closeQueues } from "@/server/queues/connection";
import { runOperation } from "@/server/api/run-operation";
import { operations } from "@/server/api/operations";
import { principalFromAuthorization } from "@/server/auth/rest-auth";
import { reportFileResponse } from "@/server/reports/download";

const repo = process.cwd();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(
  what: string,
  fn: () => Promise<T | undefined | false>,
  ms: number,
  log: () => string,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; worker output:\n${log()}`);
    await sleep(150);
  }
}

/** What the web route does for `Authorization: Bearer <key>` (the next-auth session branch needs Next). */
async function download(key: string, id: number): Promise<Response> {
  const principal = await principalFromAuthorization(getDb(), `Bearer ${key}`, new Date());
  if (!principal) throw new Error("API key not accepted");
  return reportFileResponse(getDb(), principal, String(id), "test-download");
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

let f: Fixture;
let apiKey: string;
let workerCwd: string;
let worker: ChildProcess | undefined;
let output = "";

beforeAll(async () => {
  await truncateAll();
  f = await createFixture(getDb());
  const k = newApiKey();
  await getDb().apiKey.create({
    data: { clientId: f.clientA.id, name: "reports", prefix: k.prefix, hash: k.hash, scopes: ["reports:read"] },
  });
  apiKey = k.key;
  // The "other host": the reports worker runs in its own process from an empty scratch directory.
  workerCwd = await mkdtemp(path.join(tmpdir(), "sh-reports-worker-"));
});
afterAll(async () => {
  if (worker && worker.exitCode === null) {
    const exited = new Promise((r) => worker!.once("exit", r));
    worker.kill("SIGTERM");
    await exited;
  }
  await closeQueues();
  await closeAll();
  await rm(workerCwd, { recursive: true, force: true });
});

describe("report files without a shared disk", () => {
  it("a report built by the reports worker process downloads through the web download handler in this process", async () => {
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    const tsx = pathToFileURL(createRequire(path.join(repo, "package.json")).resolve("tsx")).href;
    worker = spawn(process.execPath, ["--import", tsx, path.join(repo, "workers/main.ts")], {
      cwd: workerCwd,
      env: {
        ...process.env,
        WORKERS: "reports",
        METRICS_PORT: String(port),
        METRICS_TOKEN: "",
        LOG_LEVEL: "warn",
        TSX_TSCONFIG_PATH: path.join(repo, "tsconfig.json"),
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    worker.stdout?.on("data", (d: Buffer) => (output += d.toString()));
    worker.stderr?.on("data", (d: Buffer) => (output += d.toString()));
    await until(
      "worker readiness",
      async () => (await fetch(`http://127.0.0.1:${port}/health/ready`)).status === 200,
      60_000,
      () => output,
    );

    const created = (await runOperation(operations.reports.create, getDb(), f.principals.managerA, {
      clientId: f.clientA.id,
      format: "csv",
      month: "2026-02",
    })) as { id: number };
    const done = await until(
      "the report",
      async () => {
        const r = await getDb().reportJob.findUnique({ where: { id: created.id } });
        if (r?.status === "failed") throw new Error(`report failed: ${r.error}`);
        return r?.status === "done" ? r : undefined;
      },
      60_000,
      () => output,
    );
    expect(done.fileName).toBe("informe-cliente-a-2026-02.csv");

    const res = await download(apiKey, created.id);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(res.headers.get("content-disposition")).toContain('filename="informe-cliente-a-2026-02.csv"');
    const body = Buffer.from(await res.arrayBuffer());
    expect(body.toString("utf8").startsWith("\ufeffInforme mensual de extracción;Cliente A")).toBe(true);
    expect(Number(res.headers.get("content-length"))).toBe(body.length);
    const row = await getDb().reportFile.findUniqueOrThrow({ where: { reportId: created.id } });
    expect(Buffer.from(row.content).equals(body)).toBe(true);
    expect(row.sizeBytes).toBe(body.length);
    // Nothing was written where the worker runs: the bytes only exist in PostgreSQL.
    expect(await filesUnder(workerCwd)).toEqual([]);

    // The key without reports:read gets nothing.
    await expect(download(f.apiKeyA.key, created.id)).rejects.toMatchObject({ code: "FORBIDDEN" });
  }, 150_000);
});
