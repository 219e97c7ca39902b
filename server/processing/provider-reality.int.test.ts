import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeAll, getDb, truncateAll } from "@/test/db";
import { pointHistory, type RawRow } from "@/server/analytics/history";
import { getPgPool } from "@/server/pg";
import { getRedis } from "@/server/redis";
import { BindingCache } from "./bindings";
import { processRawBatch, type PipelineDeps } from "./pipeline";
import { insertTagoRaws, minuteSeries, seedTagoClient, tagoBody, type Rec } from "./test-fixtures";

const prefix = process.env.REDIS_NAMESPACE!;
const T0 = new Date("2026-11-10T10:00:00Z");
let deps: PipelineDeps;

beforeAll(async () => {
  await truncateAll();
  deps = {
    pool: getPgPool(),
    redis: getRedis(),
    prefix,
    bindings: new BindingCache(getPgPool(), 0),
    now: () => new Date("2026-11-11T00:00:00Z"),
  };
});
afterAll(closeAll);

const consumptionM3 = async (pointId: number) =>
  Number(
    (
      await getPgPool().query<{ v: number }>(
        "SELECT coalesce(sum(consumption_m3), 0) v FROM measurement_hourly WHERE point_id = $1 AND variable = 2",
        [pointId],
      )
    ).rows[0]!.v,
  );

describe("logger error codes as Novus/Tago send them", () => {
  it("flow −3 and a text 'ERR' are error_code rows with a null value and the raw kept, never a number in rollups; includeRaw shows them", async () => {
    const s = await seedTagoClient(getDb(), { tag: "codes", points: 1 });
    const p = s.points[0]!;
    const recs: Rec[] = minuteSeries(p.deviceRef, T0, 30).map((r) => {
      const i = Math.round((r.time.getTime() - T0.getTime()) / 60_000);
      if (r.variable === "caudal" && i === 10) return { ...r, value: -3 };
      if (r.variable === "caudal" && i === 20) return { ...r, value: "ERR" };
      return r;
    });
    await processRawBatch(deps, await insertTagoRaws(getPgPool(), s.accountId, [tagoBody(recs)]));
    const flow = await getPgPool().query<{
      ts: Date;
      value: number | null;
      raw_value: string;
      quality: number;
      reason: string;
    }>(
      "SELECT ts, value, raw_value, quality, reason FROM measurement WHERE point_id = $1 AND variable = 1 AND quality <> 0 ORDER BY ts",
      [p.pointId],
    );
    expect(flow.rows.map((r) => [r.value, r.raw_value, r.quality, r.reason])).toEqual([
      [null, "-3", 2, "logger error code -3"],
      [null, "ERR", 2, 'non-numeric logger value "ERR"'],
    ]);
    const hourly = await getPgPool().query<{ min: number }>(
      "SELECT min(min) AS min FROM measurement_hourly WHERE point_id = $1 AND variable = 1",
      [p.pointId],
    );
    expect(hourly.rows[0]!.min).toBeGreaterThan(0);
    const anomalies = await getPgPool().query("SELECT type FROM anomaly WHERE point_id = $1", [p.pointId]);
    expect(anomalies.rows).toEqual([]);

    const raw = await pointHistory(getPgPool(), {
      pointId: p.pointId,
      from: T0,
      to: new Date(T0.getTime() + 3_600_000),
      bucket: "raw",
      variables: ["flow"],
      includeRaw: true,
    });
    const flagged = (raw.series[0]!.rows as RawRow[]).filter((r) => r.flagged);
    expect(flagged.map((r) => [r.value, r.rawValue, r.quality])).toEqual([
      [null, "-3", "error_code"],
      [null, "ERR", "error_code"],
    ]);
    const plain = await pointHistory(getPgPool(), {
      pointId: p.pointId,
      from: T0,
      to: new Date(T0.getTime() + 3_600_000),
      bucket: "raw",
      variables: ["flow"],
    });
    expect((plain.series[0]!.rows as RawRow[]).some((r) => "rawValue" in r)).toBe(false);
    const hourlyView = await pointHistory(getPgPool(), {
      pointId: p.pointId,
      from: T0,
      to: new Date(T0.getTime() + 3_600_000),
      bucket: "hour",
      variables: ["flow"],
      includeRaw: true,
    });
    expect(hourlyView.series[0]!.flagged?.map((f) => f.rawValue)).toEqual(["-3", "ERR"]);
  });

  it("a binding's configured codes override the kind's default", async () => {
    const s = await seedTagoClient(getDb(), { tag: "custom", points: 1 });
    const p = s.points[0]!;
    await getDb().bindingVariable.update({
      where: { bindingId_variable: { bindingId: p.bindingId, variable: "level" } },
      data: { errorCodes: [{ min: 6000, max: 6553.5 }] },
    });
    const recs = minuteSeries(p.deviceRef, T0, 5).map((r, k) =>
      r.variable === "nivel" && k === 5 ? { ...r, value: 6553.5 } : r,
    );
    await processRawBatch(deps, await insertTagoRaws(getPgPool(), s.accountId, [tagoBody(recs)]));
    const level = await getPgPool().query<{ value: number | null; quality: number }>(
      "SELECT value, quality FROM measurement WHERE point_id = $1 AND variable = 3 AND raw_value = '6553.5'",
      [p.pointId],
    );
    expect(level.rows).toEqual([{ value: null, quality: 2 }]);
  });
});

describe("declared meter change", () => {
  it("after the staff declaration and the replay, consumption across the swap is exact with no confirmation window", async () => {
    const s = await seedTagoClient(getDb(), { tag: "meter", points: 1, expectedIntervalMin: 10 });
    const p = s.points[0]!;
    // A 10-minute logger pumping 13.9 L/s (8.34 m3 per reading); the meter is replaced between readings 5 and 6.
    const recs: Rec[] = [];
    for (let k = 0; k < 12; k++) {
      const time = new Date(T0.getTime() + k * 600_000);
      const total = k <= 5 ? 48_210 + k * 8.34 : 2.1 + (k - 5) * 8.34;
      recs.push(
        { device: p.deviceRef, variable: "caudal", value: 13.9, time },
        { device: p.deviceRef, variable: "total", value: Math.round(total * 100) / 100, time },
        { device: p.deviceRef, variable: "nivel", value: 30, time },
      );
    }
    const ids = await insertTagoRaws(getPgPool(), s.accountId, [tagoBody(recs.slice(0, 21)), tagoBody(recs.slice(21))]);
    await processRawBatch(deps, ids);
    const undeclared = await consumptionM3(p.pointId);
    // Undeclared, the new meter's start is unknown: the swap interval counts what the new meter shows (8.34 + 2.1).
    expect(undeclared).toBeCloseTo(11 * 8.34 + 2.1, 1);

    await getDb().meterChange.create({
      data: {
        pointId: p.pointId,
        at: new Date(T0.getTime() + 55 * 60_000),
        oldFinalM3: 48_210 + 5 * 8.34 + 4.17,
        newInitialM3: 2.1,
      },
    });
    await processRawBatch(deps, ids, { reprocess: true });
    expect(await consumptionM3(p.pointId)).toBeCloseTo(10 * 8.34 + 4.17 + 8.34, 1);
    const swap = await getPgPool().query<{ quality: number; reason: string }>(
      "SELECT quality, reason FROM measurement WHERE point_id = $1 AND variable = 2 AND ts = $2",
      [p.pointId, new Date(T0.getTime() + 3_600_000)],
    );
    expect(swap.rows[0]).toMatchObject({ quality: 6, reason: expect.stringMatching(/meter replaced/) as string });
  });
});
