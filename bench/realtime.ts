/**
 * Realtime latency: a Tago action payload enters through the real push handler (verify, store raw,
 * enqueue), a processor worker runs in this process, and the clock stops when the point's new value
 * is published on the client's realtime channel (what the SSE endpoint forwards to the portal).
 * A steady trickle of RATE payloads/s for SECONDS; p50/p99 of "payload arrives → value visible".
 *   npm run bench:realtime [-- --quick]
 */
import { randomBytes } from "node:crypto";
import { loadavg } from "node:os";
import { Redis } from "ioredis";
import { isQuick, machineLine, recordFigures, writeSection } from "@/bench/lib/perf-doc";

const quick = isQuick();
const RATE = quick ? 10 : 20;
const SECONDS = quick ? 6 : 20;
const POINTS = 50;
process.env.REDIS_NAMESPACE = `${process.env.REDIS_NAMESPACE ?? "sh"}-rt-${randomBytes(2).toString("hex")}`;
process.env.LOG_LEVEL ??= "error";

const [
  { handlePush },
  { getDb, closeDb },
  { closePgPool },
  { closeRedis, getRedis, deleteKeysWithPrefix },
  { closeQueues },
  { sha256 },
  { WORKER_KINDS },
  { workerEnv },
  { createJobHost, startJobs },
  { realtimeKeys },
] = await Promise.all([
  import("@/server/ingest/push"),
  import("@/server/db"),
  import("@/server/pg"),
  import("@/server/redis"),
  import("@/server/queues/connection"),
  import("@/server/crypto"),
  import("@/workers/registry"),
  import("@/workers/env"),
  import("@/server/jobs/worker"),
  import("@/server/realtime/latest"),
]);

const load0 = loadavg()[0]!;
const db = getDb();
const secret = randomBytes(24).toString("base64url");
const client = await db.client.create({ data: { name: "Bench realtime", rut: "76455593-7" } });
const account = await db.providerAccount.create({
  data: {
    clientId: client.id,
    kind: "tago",
    name: "bench-rt",
    baseUrl: "http://127.0.0.1:1",
    pushSecretHash: sha256(secret),
  },
});
const devices: string[] = [];
for (let i = 0; i < POINTS; i++) {
  const p = await db.capturePoint.create({
    data: { clientId: client.id, name: `RT ${i}`, kind: "groundwater", expectedIntervalMin: 1 },
  });
  const device = `rt-dev-${i}`;
  devices.push(device);
  await db.pointBinding.create({
    data: {
      pointId: p.id,
      accountId: account.id,
      deviceRef: device,
      variables: { create: [{ variable: "flow", key: "caudal", unit: "L/s" }] },
    },
  });
}

const env = workerEnv();
const host = createJobHost(env);
const worker = await startJobs((await WORKER_KINDS.processor!()).jobs, host);
const sub = new Redis(env.REDIS_URL);
const pending = new Map<string, number>();
const latencies: number[] = [];
sub.on("message", (_ch, msg) => {
  const ev = JSON.parse(msg) as { values: Record<string, { ts: string }> };
  const ts = ev.values.flow?.ts;
  if (!ts) return;
  const key = new Date(ts).toISOString();
  const t0 = pending.get(key);
  if (t0 !== undefined) {
    latencies.push(performance.now() - t0);
    pending.delete(key);
  }
});
await sub.subscribe(realtimeKeys.clientChannel(env.REDIS_NAMESPACE, client.id));

const base = Date.now() - 60_000;
const total = RATE * SECONDS;
for (let n = 0; n < total; n++) {
  // Each payload carries a distinct timestamp so its publication is unambiguous.
  const ts = new Date(base + n * 10).toISOString();
  const body = JSON.stringify([
    { id: `rt-${n}`, device: devices[n % POINTS], variable: "caudal", value: 10 + (n % 7), unit: "L/s", time: ts },
  ]);
  pending.set(ts, performance.now());
  const res = await handlePush(
    "tago",
    String(account.id),
    new Request(`http://localhost/api/v1/ingest/tago/${account.id}`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-webhook-secret": secret },
      body,
    }),
  );
  if (res.status !== 202) throw new Error(`push answered ${res.status}: ${await res.text()}`);
  await new Promise((r) => setTimeout(r, 1000 / RATE));
}
const deadline = Date.now() + 15_000;
while (pending.size && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));

const sorted = latencies.sort((a, b) => a - b);
const q = (p: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN);
console.log(
  `realtime: ${sorted.length}/${total} seen, ${pending.size} never seen; p50 ${q(0.5)} ms, p99 ${q(0.99)} ms, max ${q(1)} ms`,
);
recordFigures(
  "realtime",
  [
    {
      id: "realtime_visible_p99_ms",
      label: "Latest value visible in realtime after the payload arrives, p99",
      value: q(0.99),
      unit: "ms",
      target: { op: "<=", value: 1000 },
    },
    {
      id: "realtime_lost",
      label: "Payloads never visible in realtime",
      value: pending.size,
      unit: "payloads",
      target: { op: "<=", value: 0 },
    },
  ],
  // The push handler and a processor worker in this process; the clock stops on the realtime channel.
  { quick, loadAvgStart: load0, path: "in-process" },
);
if (!quick) {
  writeSection(
    "realtime",
    [
      "## Realtime latency (`npm run bench:realtime`)",
      "",
      `Run ${new Date().toISOString()} on ${machineLine()} (load average ${load0.toFixed(1)} → ${loadavg()[0]!.toFixed(1)}). ${total} Tago action payloads at ${RATE}/s across ${POINTS} points`,
      "through the real push handler (secret check, raw store, enqueue); one processor worker in the same process; the clock stops when the",
      "point's new value is published on the client's realtime channel, which the SSE endpoint forwards to the portal.",
      "",
      "| payloads | seen | p50 ms | p99 ms | max ms | target p99 |",
      "|---:|---:|---:|---:|---:|---:|",
      `| ${total} | ${sorted.length} | ${q(0.5)} | ${q(0.99)} | ${q(1)} | 1000 ms |`,
    ].join("\n"),
  );
}
await sub.quit();
await worker.close();
await host.stop();
await deleteKeysWithPrefix(getRedis(), `${env.REDIS_NAMESPACE}:`);
await Promise.allSettled([closeQueues(), closeDb(), closePgPool(), closeRedis()]);
process.exit(pending.size ? 1 : 0);
