/**
 * Open-loop HTTP load generator, run as its own process (fork of this file): `rate` requests per second in
 * 10 ms ticks, at most rate × seconds requests and seconds + 12 s of wall time, at most 5,000 in flight.
 * Latency is measured from the scheduled send time, so a slow server cannot hide queueing (no coordinated omission).
 */
import { fork } from "node:child_process";
import { Agent, request } from "node:http";
import { fileURLToPath } from "node:url";

export interface LoadSpec {
  url: string;
  /** Sent as-is on every request (the body of request n comes from bodyFor). */
  headers: Record<string, string>;
  rate: number;
  seconds: number;
  /** Distinct-body tag, so no two runs send the same body (the ingest dedupe would answer "duplicate"). */
  tag: string;
  /** "tago-push": a Tago action of 3 records per request; "get": no body. */
  kind: "tago-push" | "get";
  /** tago-push: device refs to spread the records over (real bindings, so the processor stores them). */
  devices?: string[];
  /** get: the paths to cycle through (appended to url). */
  paths?: string[];
  okStatus: number;
  /** Closed loop instead of a fixed rate: `concurrency` clients each sending the next of `total` requests when the last answers. */
  closed?: { concurrency: number; total: number };
}

export interface LoadReport {
  sent: number;
  ok: number;
  errors: number;
  statuses: Record<string, number>;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  seconds: number;
  achievedRps: number;
  /** CPU (user + system) the load generator itself used, ms: its share of the shared cores. */
  cpuMs?: number;
}

function tagoBody(spec: LoadSpec, n: number): string {
  const t = new Date(Date.UTC(2025, 0, 1) + n * 60_000).toISOString();
  const device = spec.devices?.length ? spec.devices[n % spec.devices.length]! : "bench-device";
  return JSON.stringify(
    ["caudal", "total", "nivel"].map((variable, i) => ({
      id: `${spec.tag}-${n}-${i}`,
      device,
      variable,
      value: 10 + i + (n % 1000) / 1000,
      time: t,
    })),
  );
}

async function closedLoop(spec: LoadSpec & { closed: { concurrency: number; total: number } }): Promise<LoadReport> {
  const agent = new Agent({ keepAlive: true, maxSockets: spec.closed.concurrency });
  const lat: number[] = [];
  const statuses: Record<string, number> = {};
  let next = 0;
  let ok = 0;
  const start = performance.now();
  const deadline = start + spec.seconds * 1000;
  const get = (path: string) =>
    new Promise<number | string>((resolve) => {
      const req = request(spec.url + path, { agent, timeout: 10_000, headers: spec.headers }, (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      });
      req.on("timeout", () => req.destroy(new Error("timeout")));
      req.on("error", (e) => resolve(e.message === "timeout" ? "timeout" : e.name));
      req.end();
    });
  await Promise.all(
    Array.from({ length: spec.closed.concurrency }, async () => {
      while (next < spec.closed.total && performance.now() < deadline) {
        const n = next++;
        const t0 = performance.now();
        const status = await get(spec.paths![n % spec.paths!.length]!);
        lat.push(performance.now() - t0);
        statuses[status] = (statuses[status] ?? 0) + 1;
        if (status === spec.okStatus) ok++;
      }
    }),
  );
  agent.destroy();
  const sorted = lat.sort((a, b) => a - b);
  const q = (p: number) =>
    Math.round((sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0) * 10) / 10;
  const seconds = (performance.now() - start) / 1000;
  return {
    sent: next,
    ok,
    errors: next - ok,
    statuses,
    p50: q(0.5),
    p95: q(0.95),
    p99: q(0.99),
    max: q(1),
    seconds: Math.round(seconds * 10) / 10,
    achievedRps: Math.round(ok / seconds),
  };
}

async function generate(spec: LoadSpec): Promise<LoadReport> {
  if (spec.closed) return closedLoop({ ...spec, closed: spec.closed });
  const total = Math.round(spec.rate * spec.seconds);
  const lat: number[] = [];
  const statuses: Record<string, number> = {};
  let sent = 0;
  let ok = 0;
  let lastDone = performance.now();
  const inflight = new Set<Promise<void>>();
  // A keep-alive pool like a webhook sender's or a browser's, not one socket per request.
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const start = performance.now();
  const one = (n: number) => {
    const scheduled = start + (n / spec.rate) * 1000;
    const body = spec.kind === "tago-push" ? tagoBody(spec, n) : "";
    const url = spec.kind === "get" ? spec.url + spec.paths![n % spec.paths!.length]! : spec.url;
    const p = new Promise<void>((resolve) => {
      const req = request(
        url,
        {
          method: spec.kind === "get" ? "GET" : "POST",
          agent,
          timeout: 10_000,
          headers: {
            ...spec.headers,
            ...(body ? { "content-type": "application/json", "content-length": String(Buffer.byteLength(body)) } : {}),
          },
        },
        (res) => {
          res.resume();
          res.on("end", () => {
            statuses[res.statusCode ?? 0] = (statuses[res.statusCode ?? 0] ?? 0) + 1;
            if (res.statusCode === spec.okStatus) ok++;
            resolve();
          });
        },
      );
      const failed = (name: string) => {
        statuses[name] = (statuses[name] ?? 0) + 1;
        resolve();
      };
      req.on("timeout", () => req.destroy(new Error("timeout")));
      req.on("error", (e) => failed(e.message === "timeout" ? "timeout" : e.name));
      req.end(body || undefined);
    }).finally(() => {
      lastDone = performance.now();
      lat.push(lastDone - Math.min(scheduled, lastDone));
      inflight.delete(p);
    });
    inflight.add(p);
  };
  while (sent < total && performance.now() - start < spec.seconds * 1000 + 2_000) {
    const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * spec.rate));
    while (sent < due && inflight.size < 5_000) one(sent++);
    await new Promise((r) => setTimeout(r, 10));
  }
  await Promise.race([Promise.allSettled([...inflight]), new Promise((r) => setTimeout(r, 10_000))]);
  agent.destroy();
  const sorted = lat.sort((a, b) => a - b);
  const q = (p: number) =>
    Math.round((sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0) * 10) / 10;
  const seconds = Math.round((performance.now() - start) / 100) / 10;
  return {
    sent,
    ok,
    errors: sent - ok,
    statuses,
    p50: q(0.5),
    p95: q(0.95),
    p99: q(0.99),
    max: q(1),
    seconds,
    // Completions per second from the first send to the last answer less one median latency (the last
    // request's own time): a server that keeps up shows the offered rate, a saturated one falls behind.
    achievedRps: Math.round(ok / Math.max(spec.seconds, (lastDone - start) / 1000 - q(0.5) / 1000)),
  };
}

/** Runs one load in a separate process and returns its report. */
export function runLoad(spec: LoadSpec): Promise<LoadReport> {
  const child = fork(fileURLToPath(import.meta.url), ["--load"], {
    execArgv: process.execArgv,
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  child.send(spec);
  return new Promise<LoadReport>((resolve, reject) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), (spec.seconds + 30) * 1000);
    child.once("message", (m) => {
      clearTimeout(timer);
      resolve(m as LoadReport);
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`load generator exited with ${code}`));
    });
  });
}

if (process.argv[2] === "--load") {
  process.once("message", (spec) => {
    const c0 = process.cpuUsage();
    void generate(spec as LoadSpec).then((r) => {
      const c = process.cpuUsage(c0);
      r.cpuMs = Math.round((c.user + c.system) / 1000);
      process.send?.(r, () => process.exit(0));
    });
  });
}
