import { createServer } from "node:http";
import { workerEnv } from "./env";
import { WORKER_KINDS } from "./registry";
import { exposedRegistry, renderWorkerMetrics } from "./lib/metrics";
import { getLogger } from "@/server/logger";
import { closeDb } from "@/server/db";
import { closePgPool } from "@/server/pg";
import { closeRedis } from "@/server/redis";
import { closeQueues } from "@/server/queues/connection";
import { closeMetricsConnections } from "@/server/metrics/collect";
import { markDraining, readiness } from "@/server/health/health";
import { createJobHost, startJobs } from "@/server/jobs/worker";

const env = workerEnv();
const log = getLogger().child({ worker: env.WORKER_ID });
const kinds = env.WORKERS.split(",")
  .map((s) => s.trim())
  .filter(Boolean);
const host = createJobHost(env);
const running: { name: string; close(): Promise<void> }[] = [];

for (const name of kinds) {
  const load = WORKER_KINDS[name];
  if (!load) {
    log.warn({ name }, "unknown worker kind, skipped");
    continue;
  }
  const kind = await load();
  running.push({ name, ...(await startJobs(kind.jobs, host)) });
  for (const service of kind.services ?? []) running.push({ name, ...(await service.start(host)) });
  log.info({ name }, "worker started");
}

// Metrics and probes: /metrics (Bearer METRICS_TOKEN when set), /health/live, /health/ready.
const server = createServer(async (req, res) => {
  if (req.url === "/health/live") return void res.writeHead(200).end("ok");
  if (req.url === "/health/ready") {
    const r = await readiness();
    return void res
      .writeHead(r.status === "ok" ? 200 : 503, { "content-type": "application/json" })
      .end(JSON.stringify(r));
  }
  if (req.url === "/metrics") {
    if (env.METRICS_TOKEN && req.headers.authorization !== `Bearer ${env.METRICS_TOKEN}`)
      return void res.writeHead(401).end();
    return void res.writeHead(200, { "content-type": exposedRegistry.contentType }).end(await renderWorkerMetrics());
  }
  res.writeHead(404).end();
});
if (env.METRICS_PORT > 0) server.listen(env.METRICS_PORT, "0.0.0.0");

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  markDraining();
  log.info({ signal }, "draining workers");
  // Workers finish their in-flight jobs before close() resolves; nothing new is taken meanwhile.
  await Promise.allSettled(running.map((r) => r.close()));
  await host.stop();
  await Promise.allSettled([closeQueues(), closeMetricsConnections(), closeDb(), closePgPool(), closeRedis()]);
  server.close();
  log.info("stopped");
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
