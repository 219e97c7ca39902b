import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

/** A real Prometheus (Debian's package) scrapes a real worker process's /metrics with the bearer token. */
const children: ChildProcess[] = [];
afterAll(() => {
  // npx runs node as a grandchild: kill the whole process group.
  for (const c of children) if (c.pid && c.exitCode === null) process.kill(-c.pid, "SIGKILL");
});

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function until<T>(fn: () => Promise<T | undefined>, ms: number): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch {
      // not ready yet
    }
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 500));
  }
}

describe("Prometheus scrapes the workers", () => {
  it("a running Prometheus sees the worker target up and reads SmartHydro metrics", async () => {
    const token = "scrape-test-token-0123456789";
    const metricsPort = await freePort();
    const promPort = await freePort();
    const worker = spawn("npx", ["tsx", "workers/main.ts"], {
      env: {
        ...process.env,
        WORKERS: "maintenance",
        METRICS_PORT: String(metricsPort),
        METRICS_TOKEN: token,
        LOG_LEVEL: "error",
      },
      stdio: "ignore",
      detached: true,
    });
    children.push(worker);
    await until(
      async () => ((await fetch(`http://127.0.0.1:${metricsPort}/health/live`)).ok ? true : undefined),
      60_000,
    );
    expect((await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).status).toBe(401);

    const dir = mkdtempSync(path.join(tmpdir(), "sh-prom-"));
    writeFileSync(path.join(dir, "token"), token);
    writeFileSync(
      path.join(dir, "prometheus.yml"),
      `global: { scrape_interval: 1s, evaluation_interval: 1s }\nscrape_configs:\n  - job_name: smarthydro-workers\n    authorization: { credentials_file: ${path.join(dir, "token")} }\n    static_configs: [ { targets: ["127.0.0.1:${metricsPort}"] } ]\n`,
    );
    const prom = spawn(
      "prometheus",
      [
        `--config.file=${path.join(dir, "prometheus.yml")}`,
        `--storage.tsdb.path=${path.join(dir, "data")}`,
        `--web.listen-address=127.0.0.1:${promPort}`,
      ],
      { stdio: "ignore", detached: true },
    );
    children.push(prom);
    const q = async (expr: string) => {
      const r = (await (
        await fetch(`http://127.0.0.1:${promPort}/api/v1/query?query=${encodeURIComponent(expr)}`)
      ).json()) as { data: { result: { value: [number, string] }[] } };
      return r.data.result;
    };
    const up = await until(async () => {
      const r = await q('up{job="smarthydro-workers"}');
      return r[0]?.value[1] === "1" ? r : undefined;
    }, 60_000);
    expect(up).toHaveLength(1);
    const redisUp = await until(async () => {
      const r = await q("smarthydro_redis_up");
      return r.length ? r : undefined;
    }, 30_000);
    expect(redisUp[0]!.value[1]).toBe("1");
    const queueSeries = await q("smarthydro_queue_depth");
    expect(queueSeries.length).toBeGreaterThan(0);
    for (const c of [prom, worker]) process.kill(-c.pid!, "SIGTERM");
  }, 180_000);
});
