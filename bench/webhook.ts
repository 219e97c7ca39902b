/**
 * Webhook ingest benchmark: the real route handler (server/ingest/push.ts) behind node:http
 * in-process, loaded by a separate process over loopback at a fixed rate (default 1,000 req/s for
 * 10 s, bounded in count and time). Reports p50/p99 latency and errors and writes its section of
 * docs/PERFORMANCE.md. Every request is a distinct Tago action body, so nothing is short-circuited
 * by the retry dedupe: each one is authenticated, size-checked, validated, stored raw and enqueued.
 *
 *   npm run bench:webhook [-- --rate 1000 --seconds 10]
 *
 * Uses DATABASE_URL / REDIS_URL from the environment; jobs go to queue prefix "<QUEUE_PREFIX>-bench"
 * (set QUEUE_PREFIX before starting) and the bench account and its rows are deleted afterwards.
 */
import { fork } from "node:child_process";
import { randomBytes } from "node:crypto";
import { Agent, createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import { loadavg } from "node:os";
import { isQuick, machineLine, recordFigures, writeSection } from "@/bench/lib/perf-doc";
import { lineChartSvg, svgToPng } from "@/bench/lib/chart";
import { fileURLToPath } from "node:url";

const args = process.argv.slice(2);
const opt = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};

interface LoadReport {
  sent: number;
  ok: number;
  errors: number;
  statuses: Record<string, number>;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  seconds: number;
}

/** Load generator (child process): `rate` requests per second in 10 ms ticks, at most rate × seconds requests. */
async function load(url: string, secret: string, rate: number, seconds: number, tag: string): Promise<LoadReport> {
  const total = Math.round(rate * seconds);
  const lat: number[] = [];
  const statuses: Record<string, number> = {};
  let sent = 0;
  let ok = 0;
  const inflight = new Set<Promise<void>>();
  // A keep-alive pool like a webhook sender's, not one socket per request.
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const start = performance.now();
  const one = (n: number) => {
    const t = new Date(Date.UTC(2025, 0, 1) + n * 1000).toISOString();
    const body = JSON.stringify(
      ["caudal", "totalizador", "nivel"].map((variable, i) => ({
        id: `bench${tag}-${n}-${i}`,
        device: "bench-device",
        variable,
        value: 10 + i + n / 1000,
        unit: "L/s",
        time: t,
      })),
    );
    const t0 = performance.now();
    const p = new Promise<void>((resolve) => {
      const req = request(
        url,
        {
          method: "POST",
          agent,
          timeout: 10_000,
          headers: {
            "content-type": "application/json",
            "content-length": Buffer.byteLength(body),
            "x-webhook-secret": secret,
          },
        },
        (res) => {
          res.resume();
          res.on("end", () => {
            statuses[res.statusCode ?? 0] = (statuses[res.statusCode ?? 0] ?? 0) + 1;
            if (res.statusCode === 202) ok++;
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
      req.end(body);
    }).finally(() => {
      lat.push(performance.now() - t0);
      inflight.delete(p);
    });
    inflight.add(p);
  };
  while (sent < total && performance.now() - start < seconds * 1000 + 2_000) {
    const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * rate));
    while (sent < due && inflight.size < 5_000) one(sent++);
    await new Promise((r) => setTimeout(r, 10));
  }
  await Promise.allSettled([...inflight]);
  const sorted = lat.sort((a, b) => a - b);
  const q = (p: number) =>
    Math.round((sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0) * 10) / 10;
  return {
    sent,
    ok,
    errors: sent - ok,
    statuses,
    p50: q(0.5),
    p95: q(0.95),
    p99: q(0.99),
    max: q(1),
    seconds: Math.round((performance.now() - start) / 100) / 10,
  };
}

function section(reports: { rate: number; r: LoadReport }[], seconds: number, load0: number): string {
  return [
    "## Webhook ingest (`npm run bench:webhook`)",
    "",
    `Run ${new Date().toISOString()} on ${machineLine()} (load average ${load0.toFixed(1)} at start, ${loadavg()[0]!.toFixed(1)} at the end). The route handler in-process behind node:http;`,
    `a separate process fires each rate for ${seconds} s over loopback (distinct Tago action bodies of 3 records, each authenticated,`,
    "validated, stored raw in PostgreSQL and enqueued to BullMQ before the 202; concurrent requests share one INSERT and one process-raw",
    "job (group commit, server/ingest/group-commit.ts). When achieved req/s is below the target the server is CPU-bound and latency is queueing.",
    "",
    "| target req/s | requests | 202 | errors | achieved req/s | p50 ms | p95 ms | p99 ms | max ms |",
    "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...reports.map(
      ({ rate, r }) =>
        `| ${rate} | ${r.sent} | ${r.ok} | ${r.errors} | ${Math.round(r.sent / r.seconds)} | ${r.p50} | ${r.p95} | ${r.p99} | ${r.max} |`,
    ),
    "",
    "![Webhook latency versus load](perf/webhook-latency.png)",
  ].join("\n");
}

async function main() {
  const quick = isQuick(args);
  const load0 = loadavg()[0]!;
  const rates = args.includes("--rate") ? [opt("rate", 1000)] : quick ? [200, 500] : [100, 250, 500, 1000];
  const seconds = Math.min(opt("seconds", quick ? 3 : 8), 60);
  process.env.QUEUE_PREFIX = `${process.env.QUEUE_PREFIX ?? "sh"}-bench`;
  process.env.LOG_LEVEL ??= "error";
  const [
    { handlePush },
    { getDb, closeDb },
    { getPgPool, closePgPool },
    { closeRedis, getRedis, deleteKeysWithPrefix },
    { closeQueues, getQueue },
    { QUEUES },
    { sha256 },
  ] = await Promise.all([
    import("@/server/ingest/push"),
    import("@/server/db"),
    import("@/server/pg"),
    import("@/server/redis"),
    import("@/server/queues/connection"),
    import("@/server/queues/definitions"),
    import("@/server/crypto"),
  ]);
  const secret = randomBytes(24).toString("base64url");
  const account = await getDb().providerAccount.create({
    data: {
      kind: "tago",
      name: `bench-webhook-${Date.now()}`,
      baseUrl: "http://127.0.0.1:1",
      pushSecretHash: sha256(secret),
      active: true,
    },
  });
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const m = /^\/api\/v1\/ingest\/(tts|tago)\/([^/?]+)/.exec(req.url ?? "");
      if (!m) return void res.writeHead(404).end();
      const request = new Request(`http://127.0.0.1${req.url}`, {
        method: "POST",
        headers: req.headers as Record<string, string>,
        body: Buffer.concat(chunks),
      });
      void handlePush(m[1] as "tago", m[2]!, request).then(async (out) =>
        res.writeHead(out.status, Object.fromEntries(out.headers.entries())).end(await out.text()),
      );
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/ingest/tago/${account.id}`;
  try {
    const reports: { rate: number; r: LoadReport }[] = [];
    for (const rate of rates) {
      const child = fork(
        fileURLToPath(import.meta.url),
        ["--load", url, secret, String(rate), String(seconds), `r${rate}`],
        { execArgv: process.execArgv, stdio: ["ignore", "inherit", "inherit", "ipc"] },
      );
      const report = await new Promise<LoadReport>((resolve, reject) => {
        child.once("message", (m) => resolve(m as LoadReport));
        child.once("exit", (code) => reject(new Error(`load generator exited with ${code}`)));
      });
      reports.push({ rate, r: report });
      console.log(JSON.stringify({ rate, ...report }));
    }
    const stored = await getPgPool().query<{ n: string }>("SELECT count(*) n FROM raw_payload WHERE account_id = $1", [
      account.id,
    ]);
    const sent = reports.reduce((n, x) => n + x.r.ok, 0);
    if (Number(stored.rows[0]!.n) !== sent) console.warn(`raw rows ${stored.rows[0]!.n} ≠ accepted requests ${sent}`);
    const top = reports.at(-1)!;
    recordFigures(
      "webhook",
      [
        {
          id: "webhook_p99_ms",
          label: `Webhook ingest p99 at ${top.rate} req/s`,
          value: top.r.p99,
          unit: "ms",
          ...(top.rate === 1000 ? { target: { op: "<=" as const, value: 50 } } : { better: "lower" as const }),
        },
        {
          id: "webhook_p50_ms",
          label: `Webhook ingest p50 at ${top.rate} req/s`,
          value: top.r.p50,
          unit: "ms",
          better: "lower",
        },
        {
          id: "webhook_achieved_rps",
          label: `Webhook requests/s achieved (target ${top.rate})`,
          value: Math.round(top.r.sent / top.r.seconds),
          unit: "req/s",
          better: "higher",
        },
      ],
      { quick, loadAvgStart: load0 },
    );
    if (!quick) {
      await svgToPng(
        lineChartSvg({
          title: "Webhook ingest latency versus load",
          xLabel: "offered load (requests/s)",
          yLabel: "latency (ms)",
          series: [
            { name: "p50", color: "#0b6e99", points: reports.map((x) => ({ x: x.rate, y: x.r.p50 })) },
            { name: "p99", color: "#a15c00", points: reports.map((x) => ({ x: x.rate, y: x.r.p99 })) },
          ],
          yTarget: { value: 50, label: "target p99 50 ms" },
        }),
        "docs/perf/webhook-latency.png",
      );
      writeSection("webhook", section(reports, seconds, load0));
      console.log("docs/PERFORMANCE.md updated (bench:webhook section)");
    }
  } finally {
    server.close();
    await getPgPool().query("DELETE FROM raw_payload WHERE account_id = $1", [account.id]);
    await getDb().providerAccount.delete({ where: { id: account.id } });
    await getQueue(QUEUES.processRaw.name)
      .obliterate({ force: true })
      .catch(() => {});
    await deleteKeysWithPrefix(getRedis(), `${process.env.QUEUE_PREFIX}:`); // dedupe keys of the pushed bodies
    await Promise.allSettled([closeQueues(), closeDb(), closePgPool(), closeRedis()]);
  }
}

if (args[0] === "--load") {
  const report = await load(args[1]!, args[2]!, Number(args[3]), Number(args[4]), args[5] ?? "r");
  process.send?.(report);
  process.exit(0);
} else {
  await main();
}
