import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeAll, getDb, truncateAll } from "@/test/db";
import { getPgPool } from "@/server/pg";
import { getRedis } from "@/server/redis";
import { pointHistory, type BucketRow } from "@/server/analytics/history";
import { rebuildDaySeries } from "@/server/analytics/history-series";
import { rebuildRollups } from "@/server/analytics/rollup-build";
import { BindingCache } from "@/server/processing/bindings";
import { processRawBatch, type PipelineDeps } from "@/server/processing/pipeline";
import { insertTagoRaws, minuteSeries, seedTagoClient, shuffled, tagoBody } from "@/server/processing/test-fixtures";

/**
 * The read-optimised series (measurement_day_series, measurement_hour_series) must say exactly what the
 * daily and hourly rollups say,
 * however the data arrived: in order, late and out of order, edited (a second value for a key), across a
 * Santiago month boundary, with totalizer consumption — as kept by the processor's own transaction.
 */
let deps: PipelineDeps;
// 2026-03-31 20:00 in Santiago (UTC-3) is 23:00Z: a 10-hour series crosses into April there.
const T0 = new Date("2026-03-31T18:00:00Z");
const NOW = () => new Date("2026-04-02T00:00:00Z");

beforeAll(async () => {
  await truncateAll();
  deps = {
    pool: getPgPool(),
    redis: getRedis(),
    prefix: process.env.QUEUE_PREFIX!,
    bindings: new BindingCache(getPgPool(), 0),
    now: NOW,
  };
});
afterAll(closeAll);

type Day = [number, number | null, number | null, number | null, number | null, number, number, number | null, number];

async function seriesDays(pointId: number) {
  const r = await getPgPool().query<{ variable: number; month: Date; days: Day[] }>(
    "SELECT variable, month, days FROM measurement_day_series WHERE point_id = $1 ORDER BY variable, month",
    [pointId],
  );
  return r.rows.flatMap((row) => row.days.map((d) => ({ variable: row.variable, month: row.month, d })));
}

async function dailyRows(pointId: number) {
  const r = await getPgPool().query<{
    variable: number;
    month: Date;
    b: number;
    min: number | null;
    max: number | null;
    avg: number | null;
    last: number | null;
    count: number;
    excluded: number;
    consumption_m3: number | null;
    worst_quality: number;
  }>(
    `SELECT variable, date_trunc('month', bucket, 'America/Santiago') AS month, (extract(epoch FROM bucket) * 1000)::float8 AS b,
            min, max, avg, last, count, excluded, consumption_m3, worst_quality
     FROM measurement_daily WHERE point_id = $1 ORDER BY variable, bucket`,
    [pointId],
  );
  return r.rows.map((x) => ({
    variable: x.variable,
    month: x.month,
    d: [x.b, x.min, x.max, x.avg, x.last, x.count, x.excluded, x.consumption_m3, x.worst_quality] as Day,
  }));
}

/** measurement_hour_series expanded, and measurement_hourly in the same shape (keyed by UTC day). */
async function hourSeriesAndHourly(pointId: number) {
  const series = await getPgPool().query<{ variable: number; day: Date; hours: Day[] }>(
    "SELECT variable, day, hours FROM measurement_hour_series WHERE point_id = $1 ORDER BY variable, day",
    [pointId],
  );
  const hourly = await getPgPool().query<{ variable: number; day: Date; d: Day }>(
    `SELECT variable, date_trunc('day', bucket, 'UTC') AS day,
            jsonb_build_array((extract(epoch FROM bucket) * 1000)::float8, min, max, avg, last, count, excluded, consumption_m3, worst_quality) AS d
     FROM measurement_hourly WHERE point_id = $1 ORDER BY variable, bucket`,
    [pointId],
  );
  return {
    series: series.rows.flatMap((r) => r.hours.map((d) => ({ variable: r.variable, day: r.day, d }))),
    hourly: hourly.rows,
  };
}

async function expectSeriesEqualsDaily(pointId: number) {
  const daily = await dailyRows(pointId);
  expect(daily.length).toBeGreaterThan(0);
  // Exact equality, floats included: jsonb keeps float8's shortest round-trip text.
  expect(await seriesDays(pointId)).toEqual(daily);
  const { series, hourly } = await hourSeriesAndHourly(pointId);
  expect(hourly.length).toBeGreaterThan(0);
  expect(series).toEqual(hourly);
}

describe("measurement_day_series", () => {
  it("equals the daily rollups for in-order, late, out-of-order and edited data across a month boundary", async () => {
    const s = await seedTagoClient(getDb(), { tag: "dayser", points: 2 });
    const [a, b] = [s.points[0]!, s.points[1]!];
    const recsA = minuteSeries(a.deviceRef, T0, 600);
    await processRawBatch(deps, await insertTagoRaws(getPgPool(), s.accountId, [tagoBody(recsA)]));
    await expectSeriesEqualsDaily(a.pointId);
    const months = await getPgPool().query<{ n: number }>(
      "SELECT count(DISTINCT month)::int AS n FROM measurement_day_series WHERE point_id = $1",
      [a.pointId],
    );
    expect(months.rows[0]!.n).toBe(2);

    // Point B: the same readings late and shuffled in nine deliveries, some repeated.
    const recsB = minuteSeries(b.deviceRef, T0, 600);
    const mixed = shuffled([...recsB, ...recsB.slice(300, 500)], 11);
    for (let k = 0; k < 9; k++) {
      const chunk = mixed.filter((_r, i) => i % 9 === k);
      await processRawBatch(deps, await insertTagoRaws(getPgPool(), s.accountId, [tagoBody(chunk)]));
      await expectSeriesEqualsDaily(b.pointId);
    }
    // Arrival order does not change what is stored: B's series equals A's day by day.
    const strip = (rows: Awaited<ReturnType<typeof seriesDays>>) => rows.map((r) => ({ ...r }));
    expect(strip(await seriesDays(b.pointId))).toEqual(strip(await seriesDays(a.pointId)));

    // Edited: a second, different value for existing keys (flow spike, totalizer going backwards) changes
    // flags, excluded counts and consumption in both months; the series follows.
    const before = await seriesDays(a.pointId);
    const edits = recsA
      .filter((r, i) => (r.variable === "caudal" || r.variable === "total") && i % 97 === 0)
      .map((r) => ({ ...r, value: r.variable === "caudal" ? 900 : Number(r.value) - 500 }));
    const late = minuteSeries(a.deviceRef, new Date(T0.getTime() - 120 * 60_000), 60);
    await processRawBatch(deps, await insertTagoRaws(getPgPool(), s.accountId, [tagoBody([...edits, ...late])]));
    await expectSeriesEqualsDaily(a.pointId);
    expect(await seriesDays(a.pointId)).not.toEqual(before);

    // Totalizer consumption is in the series (variable 2) and adds up to the daily rollups' total.
    const consumption = (await seriesDays(a.pointId))
      .filter((r) => r.variable === 2)
      .reduce((sum, r) => sum + (r.d[7] ?? 0), 0);
    expect(consumption).toBeGreaterThan(0);
  });

  it("serves history day buckets equal to the daily rollups, and rebuilds after bulk loads", async () => {
    const s = await seedTagoClient(getDb(), { tag: "dayser2", points: 1 });
    const p = s.points[0]!;
    await processRawBatch(
      deps,
      await insertTagoRaws(getPgPool(), s.accountId, [tagoBody(minuteSeries(p.deviceRef, T0, 600))]),
    );
    const from = new Date("2026-03-31T05:00:00Z");
    const to = new Date("2026-04-02T00:00:00Z");
    const h = await pointHistory(getPgPool(), { pointId: p.pointId, from, to, bucket: "day" });
    const daily = await dailyRows(p.pointId);
    for (const series of h.series) {
      const code = { flow: 1, totalizer: 2, level: 3, water_table: 4 }[series.variable];
      const expected = daily.filter((r) => r.variable === code);
      expect(series.rows.map((r) => (r as BucketRow).t.getTime())).toEqual(expected.map((r) => r.d[0]));
      expect(series.rows.map((r) => (r as BucketRow).avg)).toEqual(expected.map((r) => r.d[3]));
      if (series.variable === "totalizer")
        expect(series.rows.map((r) => (r as BucketRow).consumptionM3)).toEqual(expected.map((r) => r.d[7] ?? 0));
    }
    expect(h.series.find((x) => x.variable === "flow")!.rows).toHaveLength(2);
    // Hourly history from the hour series equals the hourly rollups.
    const hh = await pointHistory(getPgPool(), {
      pointId: p.pointId,
      from,
      to,
      bucket: "hour",
      variables: ["totalizer"],
    });
    const hourly = await getPgPool().query<{ b: number; consumption_m3: number | null }>(
      `SELECT (extract(epoch FROM bucket) * 1000)::float8 AS b, consumption_m3 FROM measurement_hourly
       WHERE point_id = $1 AND variable = 2 AND bucket >= $2 AND bucket < $3 ORDER BY bucket`,
      [p.pointId, from, to],
    );
    const rowsH = hh.series[0]!.rows as BucketRow[];
    expect(rowsH.map((r) => r.t.getTime())).toEqual(hourly.rows.map((r) => r.b));
    expect(rowsH.map((r) => r.consumptionM3)).toEqual(hourly.rows.map((r) => r.consumption_m3 ?? 0));
    expect(rowsH.length).toBe(10);

    // A bulk rebuild (benches, tests) and a lost series row both come back equal.
    await getPgPool().query("DELETE FROM measurement_day_series WHERE point_id = $1", [p.pointId]);
    await getPgPool().query("DELETE FROM measurement_hour_series WHERE point_id = $1", [p.pointId]);
    await rebuildDaySeries(getPgPool(), [p.pointId], from, to);
    await expectSeriesEqualsDaily(p.pointId);
    await rebuildRollups(getPgPool(), [p.pointId], from, to);
    await expectSeriesEqualsDaily(p.pointId);
  });
});
