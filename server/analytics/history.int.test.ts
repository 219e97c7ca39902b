import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeAll, getDb, truncateAll } from "@/test/db";
import { createFixture, type Fixture } from "@/test/fixture";
import { getPgPool } from "@/server/pg";
import { handleRest } from "@/server/api/rest";
import { issueRestToken } from "@/server/auth/rest-token";
import { pointHistory, resolveBucket, type BucketRow, type RawRow } from "@/server/analytics/history";
import { rebuildRollups } from "@/server/analytics/rollup-build";
import { rebuildDaySeries } from "@/server/analytics/history-series";
import { insertMeasurements } from "./test-seed";

let f: Fixture;
let pointId: number;
const from = new Date("2026-01-10T10:00:00Z");
const to = new Date("2026-01-10T12:00:00Z");

beforeAll(async () => {
  await truncateAll();
  f = await createFixture(getDb());
  pointId = f.a.point.id;
  await insertMeasurements(getPgPool(), [
    { pointId, variable: "flow", ts: "2026-01-10T10:00:00Z", value: 10 },
    { pointId, variable: "flow", ts: "2026-01-10T10:07:00Z", value: 12 },
    { pointId, variable: "flow", ts: "2026-01-10T10:20:00Z", value: 14, quality: "spike", reason: "salto de 14 L/s" },
    { pointId, variable: "flow", ts: "2026-01-10T10:40:00Z", value: 16 },
    { pointId, variable: "flow", ts: "2026-01-10T11:05:00Z", value: 20 },
    { pointId, variable: "totalizer", ts: "2026-01-10T10:00:00Z", value: 1000 },
    { pointId, variable: "totalizer", ts: "2026-01-10T10:30:00Z", value: 1018 },
    { pointId, variable: "totalizer", ts: "2026-01-10T11:00:00Z", value: 1036 },
  ]);
  await rebuildRollups(getPgPool(), [pointId], new Date("2026-01-01T00:00:00Z"), new Date("2026-02-01T00:00:00Z"));
});
afterAll(closeAll);

const series = (h: Awaited<ReturnType<typeof pointHistory>>, v: string) => h.series.find((s) => s.variable === v)!.rows;

describe("analytics history", () => {
  it("raw rows carry their quality flag and reason", async () => {
    const h = await pointHistory(getPgPool(), { pointId, from, to, bucket: "raw", variables: ["flow"] });
    const rows = series(h, "flow") as RawRow[];
    expect(rows.map((r) => r.value)).toEqual([10, 12, 14, 16, 20]);
    expect(rows[2]).toMatchObject({ quality: "spike", reason: "salto de 14 L/s", flagged: true });
    expect(rows[0]).toMatchObject({ quality: "ok", flagged: false });
  });

  it("15-minute buckets from measurement match hand-computed values, spike excluded but flagged", async () => {
    const h = await pointHistory(getPgPool(), { pointId, from, to, bucket: "15min", variables: ["flow", "totalizer"] });
    const flow = series(h, "flow") as BucketRow[];
    expect(flow.map((r) => r.t.toISOString())).toEqual([
      "2026-01-10T10:00:00.000Z",
      "2026-01-10T10:15:00.000Z",
      "2026-01-10T10:30:00.000Z",
      "2026-01-10T11:00:00.000Z",
    ]);
    expect(flow[0]).toMatchObject({
      min: 10,
      max: 12,
      avg: 11,
      last: 12,
      count: 2,
      excluded: 0,
      worstQuality: "ok",
      consumptionM3: null,
    });
    expect(flow[1]).toMatchObject({
      min: null,
      avg: null,
      count: 0,
      excluded: 1,
      worstQuality: "spike",
      flagged: true,
    });
    expect(flow[2]).toMatchObject({ min: 16, max: 16, last: 16, count: 1 });
    // 18 m3 every 30 min, apportioned by time: 9 m3 per quarter hour, including quarters without a reading.
    const tot = series(h, "totalizer") as BucketRow[];
    expect(tot.map((r) => [r.t.toISOString().slice(11, 16), r.consumptionM3])).toEqual([
      ["10:00", 9],
      ["10:15", 9],
      ["10:30", 9],
      ["10:45", 9],
      ["11:00", 0],
    ]);
  });

  it("hour buckets come from measurement_hourly", async () => {
    const h = await pointHistory(getPgPool(), { pointId, from, to, bucket: "hour", variables: ["flow", "totalizer"] });
    const flow = series(h, "flow") as BucketRow[];
    expect(flow).toHaveLength(2);
    expect(flow[0]).toMatchObject({ min: 10, max: 16, last: 16, count: 3, excluded: 1, worstQuality: "spike" });
    expect(flow[0]!.avg).toBeCloseTo(38 / 3, 9);
    expect(flow[1]).toMatchObject({ min: 20, max: 20, avg: 20, count: 1, worstQuality: "ok" });
    expect((series(h, "totalizer") as BucketRow[]).map((r) => r.consumptionM3)).toEqual([18, 18]);
    expect(h.bucketTimeZone).toBe("UTC");
  });

  it("day and month buckets are America/Santiago periods from measurement_daily", async () => {
    const day = await pointHistory(getPgPool(), { pointId, from, to, bucket: "day", variables: ["flow", "totalizer"] });
    const d = series(day, "flow") as BucketRow[];
    expect(d.map((r) => r.t.toISOString())).toEqual(["2026-01-10T03:00:00.000Z"]); // Santiago midnight (UTC-3 in January)
    expect(d[0]).toMatchObject({ min: 10, max: 20, last: 20, count: 4, excluded: 1, worstQuality: "spike" });
    expect(d[0]!.avg).toBeCloseTo(14.5, 9);
    expect((series(day, "totalizer") as BucketRow[])[0]!.consumptionM3).toBe(36);
    const month = await pointHistory(getPgPool(), {
      pointId,
      from: new Date("2026-01-01T00:00:00Z"),
      to: new Date("2026-03-01T00:00:00Z"),
      bucket: "month",
      variables: ["flow", "totalizer"],
    });
    const m = series(month, "flow") as BucketRow[];
    expect(m.map((r) => r.t.toISOString())).toEqual(["2026-01-01T03:00:00.000Z"]);
    expect(m[0]!.avg).toBeCloseTo(14.5, 9);
    expect((series(month, "totalizer") as BucketRow[])[0]!.consumptionM3).toBe(36);
    expect(month.bucketTimeZone).toBe("America/Santiago");
  });

  it("picks a bucket automatically with at most 1,000 buckets", async () => {
    const spans = [
      3600_000,
      86400_000,
      7 * 86400_000,
      30 * 86400_000,
      365 * 86400_000,
      3 * 365 * 86400_000,
      5 * 365 * 86400_000,
    ];
    for (const span of spans) {
      const a = new Date(Date.UTC(2025, 0, 1, 3, 17));
      const { bucket, auto } = resolveBucket({ from: a, to: new Date(a.getTime() + span) });
      expect(auto).toBe(true);
      const minutes = span / 60_000;
      const size = { minute: 1, "5min": 5, "15min": 15, hour: 60, day: 1440, month: 28 * 1440 }[bucket as "minute"];
      expect(Math.ceil(minutes / size) + 1, `${span} → ${bucket}`).toBeLessThanOrEqual(1000);
    }
    // One year of daily rollups: the automatic answer is "day" with ≤ 1,000 buckets.
    await getPgPool().query(
      `INSERT INTO measurement_daily (point_id, variable, bucket, min, max, avg, last, count, worst_quality)
       SELECT $1, 3, d, 30, 31, 30.5, 30.5, 24, 0 FROM generate_series(TIMESTAMPTZ '2024-01-01 03:00Z', TIMESTAMPTZ '2024-12-31 03:00Z', interval '1 day') d ON CONFLICT DO NOTHING`,
      [pointId],
    );
    await rebuildDaySeries(getPgPool(), [pointId], new Date("2024-01-01T00:00:00Z"), new Date("2025-01-01T00:00:00Z"));
    const h = await pointHistory(getPgPool(), {
      pointId,
      from: new Date("2024-01-01T00:00:00Z"),
      to: new Date("2025-01-01T00:00:00Z"),
      variables: ["level"],
    });
    expect(h).toMatchObject({ bucket: "day", auto: true });
    expect(series(h, "level").length).toBeGreaterThan(360);
    expect(series(h, "level").length).toBeLessThanOrEqual(1000);
  });

  it("serves CSV over REST when asked with Accept: text/csv, JSON otherwise", async () => {
    const { token } = await issueRestToken(`user:${f.users.viewerA.id}`, new Date());
    const path = `/analytics/points/${pointId}/history`;
    const url = `http://localhost/api/v1${path}?from=${from.toISOString()}&to=${to.toISOString()}&bucket=hour&variables=flow,totalizer`;
    const csv = await handleRest(
      new Request(url, { headers: { authorization: `Bearer ${token}`, accept: "text/csv" } }),
      path,
    );
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toContain("text/csv");
    const lines = (await csv.text()).trim().split("\r\n");
    expect(lines[0]).toBe(
      "point_id,variable,unit,bucket,bucket_start,min,max,avg,last,count,excluded,consumption_m3,worst_quality",
    );
    expect(lines).toContain(`${pointId},totalizer,m3,hour,2026-01-10T10:00:00.000Z,1000,1018,1009,1018,2,0,18,ok`);
    expect(lines.length).toBe(5);
    const json = await handleRest(new Request(url, { headers: { authorization: `Bearer ${token}` } }), path);
    expect(((await json.json()) as { bucket: string }).bucket).toBe("hour");
    const other = await handleRest(
      new Request(`http://localhost/api/v1/analytics/points/${f.b.point.id}/history`, {
        headers: { authorization: `Bearer ${token}`, accept: "text/csv" },
      }),
      `/analytics/points/${f.b.point.id}/history`,
    );
    expect(other.status).toBe(404);
  });

  it("rejects an explicit bucket that would produce too many buckets", async () => {
    await expect(
      pointHistory(getPgPool(), {
        pointId,
        from: new Date("2025-01-01Z"),
        to: new Date("2026-01-01Z"),
        bucket: "minute",
      }),
    ).rejects.toMatchObject({ code: "BAD_INPUT" });
  });
});
