import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import { queuePrefix } from "@/server/queues/connection";
import { getPgPool } from "@/server/pg";
import { dgaHealth } from "@/server/dga/health";
import { createRedis } from "@/server/redis";
import { QUEUE_NAMES } from "@/server/jobs/registry";
import { metrics, metricsRegistry } from "./registry";
import { SLOT_STATES } from "@/domain/dga/retry";

/** Every BullMQ queue of the product, from the job registry. */
export { QUEUE_NAMES };

export const QUEUE_STATES = [
  "waiting",
  "active",
  "delayed",
  "prioritized",
  "failed",
  "completed",
  "waiting-children",
] as const;

const SCRAPE_TIMEOUT_MS = 2_000;
/** SQL and queue figures are cached this long so several scrapers don't multiply the load. */
const CACHE_MS = 10_000;

const g = globalThis as unknown as {
  __metricsRedis?: Redis;
  __metricsQueues?: Map<string, Queue>;
  __metricsCollectedAt?: number;
};

function redis(): Redis {
  // One retry per command on scrape; the connection itself reconnects forever.
  if (!g.__metricsRedis) {
    g.__metricsRedis = createRedis({ maxRetriesPerRequest: 1, lazyConnect: false });
    g.__metricsRedis.on("error", () => {});
  }
  return g.__metricsRedis;
}

function queue(name: string): Queue {
  g.__metricsQueues ??= new Map();
  let q = g.__metricsQueues.get(name);
  if (!q) {
    q = new Queue(name, { connection: redis(), prefix: queuePrefix() });
    q.on("error", () => {});
    g.__metricsQueues.set(name, q);
  }
  return q;
}

function withTimeout<T>(p: Promise<T>, ms = SCRAPE_TIMEOUT_MS): Promise<T> {
  return Promise.race([
    p,
    new Promise<never>((_, rej) => setTimeout(() => rej(new Error("scrape timeout")), ms).unref()),
  ]);
}

async function collectQueues(names: readonly string[]): Promise<void> {
  const now = Date.now();
  await Promise.all(
    names.map(async (name) => {
      const q = queue(name);
      const counts = await withTimeout(q.getJobCounts(...QUEUE_STATES));
      for (const state of QUEUE_STATES) metrics.queueDepth.set({ queue: name, state }, counts[state] ?? 0);
      const [waiting, prioritized] = await withTimeout(
        Promise.all([q.getJobs(["wait"], 0, 0, true), q.getJobs(["prioritized"], 0, 0, true)]),
      );
      const oldest = Math.min(
        ...[...waiting, ...prioritized].map((j) => j.timestamp).filter((t) => Number.isFinite(t)),
      );
      metrics.queueOldestAge.set({ queue: name }, Number.isFinite(oldest) ? Math.max(0, (now - oldest) / 1000) : 0);
    }),
  );
}

async function collectSql(): Promise<void> {
  const pool = getPgPool();
  const slots = await withTimeout(
    pool.query<{ state: string; n: string }>("SELECT state::text AS state, count(*) AS n FROM dga_slot GROUP BY state"),
  );
  const byState = new Map(slots.rows.map((r) => [r.state, Number(r.n)]));
  for (const state of SLOT_STATES) metrics.dgaSlots.set({ state }, byState.get(state) ?? 0);
  const health = await withTimeout(dgaHealth(pool, new Date()));
  metrics.dgaOwedSlotsMissing.set(health.owedWithoutRow);
  metrics.dgaBacklogSlots.set(health.backlog.reduce((n, b) => n + b.slots, 0));
  metrics.dgaBacklogMaxObraSlots.set(health.backlog[0]?.slots ?? 0);
  metrics.dgaBacklogObras.set(health.backlog.filter((b) => b.slots >= 2).length);

  const pts = await withTimeout(
    pool.query<{ online: string; offline: string }>(`
    SELECT count(*) FILTER (WHERE last_ts >= now() - make_interval(mins => greatest(3 * expected_interval_min, 60))) AS online,
           count(*) FILTER (WHERE last_ts IS NULL OR last_ts < now() - make_interval(mins => greatest(3 * expected_interval_min, 60))) AS offline
    FROM (
      SELECT p.expected_interval_min,
             greatest((SELECT max(ts) FROM measurement m WHERE m.point_id = p.id AND m.variable = 1),
                      (SELECT max(ts) FROM measurement m WHERE m.point_id = p.id AND m.variable = 2),
                      (SELECT max(ts) FROM measurement m WHERE m.point_id = p.id AND m.variable = 3)) AS last_ts
      FROM capture_point p WHERE p.status = 'active'
    ) t`),
  );
  metrics.points.set({ state: "online" }, Number(pts.rows[0]?.online ?? 0));
  metrics.points.set({ state: "offline" }, Number(pts.rows[0]?.offline ?? 0));
}

function collectPool(): void {
  const pool = getPgPool();
  metrics.dbPoolConnections.set({ state: "active" }, pool.totalCount - pool.idleCount);
  metrics.dbPoolConnections.set({ state: "idle" }, pool.idleCount);
  metrics.dbPoolConnections.set({ state: "waiting" }, pool.waitingCount);
}

async function collectRedis(): Promise<void> {
  const ok = await withTimeout(redis().ping(), 1_000).then(
    (r) => r === "PONG",
    () => false,
  );
  metrics.redisUp.set(ok ? 1 : 0);
}

/**
 * Fills the scrape-time gauges. Each source fails on its own (a down Redis leaves smarthydro_redis_up
 * at 0 and the queue gauges at their last values); it never throws.
 */
export async function collectScrapeMetrics(opts: { queues?: readonly string[]; force?: boolean } = {}): Promise<void> {
  collectPool();
  await collectRedis();
  if (!opts.force && g.__metricsCollectedAt && Date.now() - g.__metricsCollectedAt < CACHE_MS) return;
  g.__metricsCollectedAt = Date.now();
  await Promise.allSettled([collectQueues(opts.queues ?? QUEUE_NAMES), collectSql()]);
}

/** Prometheus text exposition of the shared registry (scrape gauges refreshed first). */
export async function renderMetrics(): Promise<{ contentType: string; body: string }> {
  await collectScrapeMetrics();
  return { contentType: metricsRegistry.contentType, body: await metricsRegistry.metrics() };
}

export async function closeMetricsConnections(): Promise<void> {
  const qs = [...(g.__metricsQueues?.values() ?? [])];
  g.__metricsQueues?.clear();
  await Promise.allSettled(qs.map((q) => q.close()));
  await g.__metricsRedis?.quit().catch(() => {});
  g.__metricsRedis = undefined;
}
