import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeAll, getDb, truncateAll } from "@/test/db";
import { createFixture, type Fixture } from "@/test/fixture";
import { getPgPool } from "@/server/pg";
import { getRedis } from "@/server/redis";
import { env } from "@/server/env";
import { publishLatest } from "@/server/realtime/latest";
import { realtimeForClient, realtimeForPoints } from "@/server/analytics/realtime";
import { readPointFields } from "@/server/realtime/latest";
import { clientOverview, consumption } from "@/server/analytics/consumption";
import { evaluateBaselines } from "@/server/analytics/baseline";
import { rebuildRollups } from "@/server/analytics/rollup-build";
import { santiagoSlot } from "@/domain/analytics/baseline";
import { insertHourly, insertMeasurements } from "./test-seed";

let f: Fixture;
const now = new Date("2026-03-10T15:00:00Z");
const H = 3600_000;

beforeAll(async () => {
  await truncateAll();
  f = await createFixture(getDb());
});
afterAll(closeAll);

describe("realtime", () => {
  it("returns the latest value per variable, its age and the state (SQL fallback)", async () => {
    const p = f.a.point.id;
    await insertMeasurements(getPgPool(), [
      { pointId: p, variable: "flow", ts: "2026-03-10T13:00:00Z", value: 30 },
      { pointId: p, variable: "flow", ts: "2026-03-10T14:30:00Z", value: 32.5 },
      { pointId: p, variable: "totalizer", ts: "2026-03-10T14:30:00Z", value: 5000 },
      { pointId: p, variable: "level", ts: "2026-02-20T00:00:00Z", value: 31.2 },
    ]);
    const [rt] = await realtimeForPoints(getPgPool(), [p], now);
    expect(rt).toMatchObject({ pointId: p, state: "reporting", ageSec: 1800, openAnomalies: 0 });
    expect(rt!.values.map((v) => [v.variable, v.value, v.ageSec])).toEqual([
      ["flow", 32.5, 1800],
      ["totalizer", 5000, 1800],
      ["level", 31.2, 18 * 86400 + 15 * 3600],
    ]);
    const late = await realtimeForPoints(getPgPool(), [p], new Date(now.getTime() + 3 * H));
    expect(late[0]!.state).toBe("delayed");
    const b = await realtimeForClient(getPgPool(), f.clientB.id, now);
    expect(b.map((x) => x.state)).toEqual(["offline"]);
  });

  it("prefers the processor's Redis cache when it holds the point", async () => {
    const p = f.b.point.id;
    const redis = getRedis();
    await publishLatest(redis, env().REDIS_NAMESPACE, [
      {
        clientId: f.clientB.id,
        pointId: p,
        values: { flow: { ts: new Date("2026-03-10T14:50:00Z"), value: 41, quality: "ok" } },
      },
    ]);
    const [rt] = await realtimeForPoints(getPgPool(), [p], now, { redis, prefix: env().REDIS_NAMESPACE });
    expect(rt!.values).toEqual([expect.objectContaining({ variable: "flow", value: 41, ageSec: 600 })]);
    expect(rt!.state).toBe("alarm"); // 41 L/s above the granted 40 L/s
  });

  it("reads a whole client from the cache in one call; absent points and fields come back empty", async () => {
    const redis = getRedis();
    const prefix = env().REDIS_NAMESPACE;
    const fields = await readPointFields(redis, prefix, [f.b.point.id, 999_999], ["v:flow", "v:level"]);
    expect(fields[0]![0]).toMatch(/^\d+\|\{/);
    expect(fields[0]![1]).toBe("");
    expect(fields[1]).toEqual(["", ""]);
    const all = await realtimeForClient(getPgPool(), f.clientB.id, now, { redis, prefix });
    expect(all.map((x) => [x.pointId, x.values.find((v) => v.variable === "flow")?.value])).toEqual([
      [f.b.point.id, 41],
    ]);
  });
});

describe("consumption and overview", () => {
  it("sums daily extraction and compares it with the water rights", async () => {
    const p = f.a.point.id;
    await getDb().capturePoint.update({ where: { id: p }, data: { annualVolumeM3: 100_000 } });
    const rows = Array.from({ length: 49 }, (_, i) => ({
      pointId: p,
      variable: "totalizer" as const,
      ts: new Date(Date.UTC(2026, 2, 8, 3) + i * H),
      value: 6000 + i * 36,
    }));
    await insertMeasurements(getPgPool(), rows);
    await rebuildRollups(getPgPool(), [p], new Date("2026-03-01T00:00:00Z"), new Date("2026-03-11T00:00:00Z"));
    const c = await consumption(getPgPool(), {
      clientId: f.clientA.id,
      from: new Date("2026-03-08T03:00:00Z"),
      to: new Date("2026-03-10T03:00:00Z"),
      granularity: "day",
    });
    const pc = c.points.find((x) => x.pointId === p)!;
    // 36 m3 per hour = 10 L/s; day 1 has 23 deltas (the first reading anchors), day 2 has 24.
    expect(pc.periods.map((x) => x.volumeM3)).toEqual([23 * 36, 24 * 36]);
    expect(pc.periods[1]!.avgFlowLps).toBeCloseTo(10, 9);
    expect(pc.periods[1]!.pctOfGrantedFlow).toBeCloseTo(25, 9);
    expect(pc.periods[1]!.pctOfAnnualVolume).toBeCloseTo((864 / 100_000) * 100, 9);
    expect(c.totals.map((t) => t.volumeM3)).toEqual([23 * 36, 24 * 36]);
    const o = await clientOverview(getPgPool(), f.clientA.id, new Date("2026-03-09T20:00:00Z"));
    expect(o.todayM3).toBe(24 * 36);
    expect(o.monthM3).toBe(47 * 36);
    expect(o.grantedAnnualM3).toBe(100_000);
    expect(o.points).toBe(1);
  });
});

describe("baseline anomalies", () => {
  it("flags a planted outlier once per day and leaves normal data alone", async () => {
    const db = getDb();
    const odd = await db.capturePoint.create({
      data: { clientId: f.clientA.id, name: "Pozo atípico", kind: "groundwater" },
    });
    const calm = await db.capturePoint.create({
      data: { clientId: f.clientA.id, name: "Pozo normal", kind: "groundwater" },
    });
    const start = now.getTime() - 6 * 7 * 24 * H - 24 * H;
    const series = (seed: number) =>
      Array.from({ length: 6 * 7 * 24 + 24 }, (_, i) => {
        const bucket = new Date(start + i * H);
        const { hour } = santiagoSlot(bucket);
        const wobble = ((i * 7919 + seed) % 13) / 13 - 0.5;
        return { bucket, value: hour >= 8 && hour < 20 ? 23 + 2 * wobble : 2 + 0.2 * wobble };
      });
    const planted = series(1);
    const target = planted.length - 6; // five hours before "now"
    planted[target] = { bucket: planted[target]!.bucket, value: 45.2 };
    await insertHourly(getPgPool(), odd.id, "flow", planted);
    await insertHourly(getPgPool(), calm.id, "flow", series(2));
    const run = () => evaluateBaselines(getPgPool(), { now, pointIds: [odd.id, calm.id] });
    expect(await run()).toMatchObject({ points: 2, flags: 1, anomalies: 1 });
    await run();
    const rows = await db.anomaly.findMany({ where: { pointId: { in: [odd.id, calm.id] } } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ pointId: odd.id, type: "baseline_flow", state: "open", count: 1 });
    expect(rows[0]!.reason).toMatch(/^Caudal 45,2 L\/s a las \d\d:00 del \S+; lo habitual es .+ L\/s$/);
  });
});
