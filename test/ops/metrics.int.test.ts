import { Queue } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queueConnection, queuePrefix } from "@/server/queues/connection";
import { collectScrapeMetrics, closeMetricsConnections, renderMetrics } from "@/server/metrics/collect";
import { metricsAuthorized } from "@/server/metrics/auth";
import { metrics } from "@/server/metrics/registry";
import { closeAll, getDb, truncateAll } from "@/test/db";
import { createFixture, type Fixture } from "@/test/fixture";
import { getPgPool } from "@/server/pg";
import { GET } from "@/app/api/metrics/route";

let fx: Fixture;
beforeAll(async () => {
  await truncateAll();
  fx = await createFixture(getDb());
});
afterAll(async () => {
  await closeMetricsConnections();
  await closeAll();
});

const gauge = async (
  g: { get(): Promise<{ values: { labels: Record<string, unknown>; value: number }[] }> },
  labels: Record<string, string>,
) => (await g.get()).values.find((v) => Object.entries(labels).every(([k, x]) => v.labels[k] === x))?.value;

describe("scrape-time metrics", () => {
  it("collects queue depth and oldest age, DGA slots, points, pool and Redis", async () => {
    const q = new Queue("notify", { connection: queueConnection(), prefix: queuePrefix() });
    await q.add("n", { notificationId: 1 }, { jobId: "m-1", timestamp: Date.now() - 120_000 });
    await q.add("n", { notificationId: 2 }, { jobId: "m-2" });
    await getDb().dgaSlot.createMany({
      data: [
        { pointId: fx.a.point.id, slotAt: new Date("2026-11-01T04:00:00Z"), standard: "mayor", state: "failed" },
        { pointId: fx.a.point.id, slotAt: new Date("2026-11-01T05:00:00Z"), standard: "mayor", state: "failed" },
        { pointId: fx.b.point.id, slotAt: new Date("2026-11-01T04:00:00Z"), standard: "mayor", state: "sent" },
      ],
    });
    await getPgPool().query(
      "INSERT INTO measurement (point_id, variable, ts, value, source) VALUES ($1, 1, now() - interval '5 minutes', 1, 'test')",
      [fx.a.point.id],
    );

    await collectScrapeMetrics({ force: true });
    expect(await gauge(metrics.queueDepth, { queue: "notify", state: "waiting" })).toBe(2);
    expect(await gauge(metrics.queueDepth, { queue: "process-raw", state: "waiting" })).toBe(0);
    expect(await gauge(metrics.queueOldestAge, { queue: "notify" })).toBeGreaterThanOrEqual(119);
    expect(await gauge(metrics.queueOldestAge, { queue: "dga-submit" })).toBe(0);
    expect(await gauge(metrics.dgaSlots, { state: "failed" })).toBe(2);
    expect(await gauge(metrics.dgaSlots, { state: "sent" })).toBe(1);
    expect(await gauge(metrics.dgaSlots, { state: "pending" })).toBe(0);
    expect(await gauge(metrics.points, { state: "online" })).toBe(1);
    expect(await gauge(metrics.points, { state: "offline" })).toBe(1);
    expect(await gauge(metrics.redisUp, {})).toBe(1);
    expect(await gauge(metrics.dbPoolConnections, { state: "idle" })).toBeGreaterThanOrEqual(0);
    await q.obliterate({ force: true });
    await q.close();
  });

  it("DGA: owed hours without a row and the per-obra backlog", async () => {
    const hour = 3_600_000;
    const top = Math.floor(Date.now() / hour) * hour;
    // Live for the last 3 full hours plus the current one: 4 owed, 2 rows, so 2 holes; the rejected row waits for tomorrow.
    await getDb().capturePoint.update({
      where: { id: fx.a.point.id },
      data: { dgaTransport: "live", dgaGoLiveAt: new Date(top - 3 * hour) },
    });
    await getDb().dgaSlot.create({
      data: { pointId: fx.a.point.id, slotAt: new Date(top - 2 * hour), standard: "mayor", state: "pending" },
    });
    await getDb().dgaSlot.create({
      data: {
        pointId: fx.a.point.id,
        slotAt: new Date(top - 3 * hour),
        standard: "mayor",
        state: "rejected",
        nextAttemptAt: new Date(top + 24 * hour),
      },
    });
    await collectScrapeMetrics({ force: true });
    expect(await gauge(metrics.dgaOwedSlotsMissing, {})).toBe(2);
    expect(await gauge(metrics.dgaBacklogSlots, {})).toBe(1);
    expect(await gauge(metrics.dgaBacklogMaxObraSlots, {})).toBe(1);
    expect(await gauge(metrics.dgaBacklogObras, {})).toBe(0);
  });

  it("renders the Prometheus exposition and guards /api/metrics", async () => {
    const { body } = await renderMetrics();
    expect(body).toContain("# TYPE smarthydro_queue_depth gauge");
    expect(body).toContain("# TYPE http_request_duration_seconds histogram");
    expect(metricsAuthorized(null, { METRICS_TOKEN: "t".repeat(16), NODE_ENV: "development" })).toBe(false);
    expect(metricsAuthorized("Bearer wrong", { METRICS_TOKEN: "t".repeat(16), NODE_ENV: "development" })).toBe(false);
    expect(
      metricsAuthorized(`Bearer ${"t".repeat(16)}`, { METRICS_TOKEN: "t".repeat(16), NODE_ENV: "production" }),
    ).toBe(true);
    expect(metricsAuthorized(null, { NODE_ENV: "production" })).toBe(false);
    expect(metricsAuthorized(null, { NODE_ENV: "test" })).toBe(true);
    const res = await GET(new Request("http://127.0.0.1/api/metrics"));
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("smarthydro_redis_up 1");
  });
});
