import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type pg from "pg";
import { closeAll, getDb, truncateAll } from "@/test/db";
import { createFixture, type Fixture } from "@/test/fixture";
import { getPgPool } from "@/server/pg";
import { OPERATIONS } from "@/server/api/operations";
import { runOperation } from "@/server/api/run-operation";
import { handleRest } from "@/server/api/rest";
import { issueRestToken } from "@/server/auth/rest-token";
import { VARIABLE_CODE } from "@/domain/measurements/types";
import { dayNumber } from "@/domain/forecast/calendar";
import { historyRange, localHourBuckets, type HistoryWellConfig } from "@/simulators/history/generator";
import { evaluateForecastAlerts } from "./alerts";
import type { PointForecast, ClientForecast } from "./service";

const at = new Date("2026-07-01T16:00:00Z");
const well: HistoryWellConfig = {
  code: "INT",
  seed: 11,
  pumpLps: 30,
  scheduleHours: [4, 16, 16, 16, 16, 16, 10],
  startHour: 6,
  utilisation: 0.7,
  seasonAmplitude: 0.3,
  peakMonth: 0,
  trendPerYear: 0.05,
  dailyNoise: 0.05,
  regimeNoise: 0.02,
  outageRate: 0,
  staticDepthM: 20,
  depthTrendMPerYear: 3,
  depthSeasonM: 0.5,
  drawdownM: 6,
  referenceDay: "2025-07-01",
};
const days = historyRange(well, "2024-07-01", "2026-07-01");
const op = (name: string) => OPERATIONS.find((o) => o.name === name)!;
let f: Fixture;

/** Daily rollups (totalizer consumption, water-table min/max) and the last 8 weeks of hourly consumption. */
async function seed(pool: pg.Pool, pointId: number): Promise<void> {
  const buckets = days.map((d) => localHourBuckets(dayNumber(d.day))[0]!);
  await pool.query(
    `INSERT INTO measurement_daily (point_id, variable, bucket, count, worst_quality, consumption_m3) SELECT $1, $2, b, 24, 0, v FROM unnest($3::timestamptz[], $4::float8[]) AS t(b, v)`,
    [pointId, VARIABLE_CODE.totalizer, buckets, days.map((d) => d.volumeM3)],
  );
  await pool.query(
    `INSERT INTO measurement_daily (point_id, variable, bucket, min, max, avg, count, worst_quality) SELECT $1, $2, b, lo, hi, m, 24, 0 FROM unnest($3::timestamptz[], $4::float8[], $5::float8[], $6::float8[]) AS t(b, lo, hi, m)`,
    [
      pointId,
      VARIABLE_CODE.water_table,
      buckets,
      days.map((d) => d.depthMinM),
      days.map((d) => d.depthMaxM),
      days.map((d) => d.depthMeanM),
    ],
  );
  const recent = days
    .slice(-56)
    .flatMap((d) => localHourBuckets(dayNumber(d.day)).map((b, h) => ({ b, v: d.hourlyM3[h]! })));
  await pool.query(
    `INSERT INTO measurement_hourly (point_id, variable, bucket, count, worst_quality, consumption_m3) SELECT $1, $2, b, 1, 0, v FROM unnest($3::timestamptz[], $4::float8[]) AS t(b, v)`,
    [pointId, VARIABLE_CODE.totalizer, recent.map((r) => r.b), recent.map((r) => r.v)],
  );
}

const yearToDate = days.filter((d) => d.day >= "2026-01-01").reduce((s, d) => s + d.volumeM3, 0);
/** Pump intake 0.3 m below the recent dynamic level: reached within months at this well's deepening rate. */
const intakeM = days.slice(-7).reduce((s, d) => s + d.depthMaxM, 0) / 7 + 0.3;
const lastYear = days.filter((d) => d.day >= "2025-01-01" && d.day < "2026-01-01").reduce((s, d) => s + d.volumeM3, 0);

beforeAll(async () => {
  await truncateAll();
  f = await createFixture(getDb());
  await getDb().capturePoint.update({
    where: { id: f.a.point.id },
    data: { annualVolumeM3: lastYear * 0.95, pumpIntakeDepthM: intakeM, forecastLeadDays: 240 },
  });
  await seed(getPgPool(), f.a.point.id);
});
afterAll(closeAll);

describe("forecast operations", () => {
  it("forecast.point: water-year actual from the rollups, a projection with interval and date, and the level trend", async () => {
    const r = (await runOperation(op("forecast.point"), getDb(), f.principals.viewerA, {
      id: f.a.point.id,
      at: at.toISOString(),
    })) as PointForecast;
    expect(r.right.status).toBe("ok");
    const wy = r.right.waterYear!;
    expect(wy.from).toBe("2026-01-01");
    // Today's partial day is not in the rollups: actual = the completed days of 2026.
    expect(wy.actualM3).toBeCloseTo(yearToDate, 3);
    expect(wy.lowM3).toBeLessThan(wy.projectedM3);
    expect(wy.highM3).toBeGreaterThan(wy.projectedM3);
    expect(Math.abs(wy.projectedM3 / (lastYear * 1.05) - 1)).toBeLessThan(0.15);
    expect(r.right.exceedance.date! > "2026-07-01").toBe(true);
    expect(r.right.model.source).toEqual({ month: "own", weekday: "own", level: "own" });
    expect(r.right.explanation).toMatch(/perfil estacional mes × día × hora de 24 meses/);
    expect(r.level!.status).toBe("ok");
    const year = r.level!.windows.find((w) => w.days === 365)!;
    expect(Math.abs(year.slopeMPerMonth! - 3 / 12)).toBeLessThan(0.05);
    expect(r.level!.intake.date).not.toBeNull();
  });

  it("REST GET /forecast/points/{id} serves the same forecast; another tenant gets 404", async () => {
    const get = async (userId: number) => {
      const token = (await issueRestToken(`user:${userId}`, new Date())).token;
      const path = `/forecast/points/${f.a.point.id}`;
      return handleRest(
        new Request(`http://localhost/api/v1${path}?at=${at.toISOString()}`, {
          headers: { authorization: `Bearer ${token}` },
        }),
        path,
      );
    };
    const ok = await get(f.users.managerA.id);
    expect(ok.status).toBe(200);
    const body = (await ok.json()) as { right: { waterYear: { actualM3: number } } };
    expect(body.right.waterYear.actualM3).toBeCloseTo(yearToDate, 3);
    expect((await get(f.users.managerB.id)).status).toBe(404);
  });

  it("forecast.client sums the client's points against the sum of rights", async () => {
    const r = (await runOperation(op("forecast.client"), getDb(), f.principals.managerA, {
      clientId: f.clientA.id,
      at: at.toISOString(),
    })) as ClientForecast;
    expect(r.points).toHaveLength(1);
    expect(r.total.waterYear!.actualM3).toBeCloseTo(yearToDate, 3);
    expect(r.total.waterYear!.rightM3).toBeCloseTo(lastYear * 0.95, 3);
    expect(r.total.pointsProjectedToExceed).toBe(1);
  });

  it("rejects a reference date in the future", async () => {
    await expect(
      runOperation(op("forecast.point"), getDb(), f.principals.admin, {
        id: f.a.point.id,
        at: new Date(Date.now() + 86_400_000).toISOString(),
      }),
    ).rejects.toMatchObject({ code: "BAD_INPUT" });
  });
});

describe("forecast alerts", () => {
  it("raises right_forecast once with a notification, updates it on later runs and resolves it when the projection clears", async () => {
    const pool = getPgPool();
    await getDb().notificationRule.create({
      data: {
        clientId: f.clientA.id,
        name: "Proyecciones",
        events: ["right_forecast", "level_forecast"],
        channel: "in_app",
        target: "todos",
      },
    });
    const first = await evaluateForecastAlerts(pool, at, [f.a.point.id]);
    expect(first.raised).toBe(2);
    const second = await evaluateForecastAlerts(pool, new Date(at.getTime() + 86_400_000), [f.a.point.id]);
    expect(second).toMatchObject({ raised: 0, updated: 2 });
    const anomalies = await getDb().anomaly.findMany({
      where: { pointId: f.a.point.id, type: { in: ["right_forecast", "level_forecast"] } },
      orderBy: { type: "asc" },
    });
    expect(anomalies.map((a) => [a.type, a.state, a.count, a.dedupeKey])).toEqual([
      ["level_forecast", "open", 2, `level_forecast:${f.a.point.id}:intake`],
      ["right_forecast", "open", 2, `right_forecast:${f.a.point.id}:wy2026-01-01`],
    ]);
    const notes = await getDb().notification.findMany({
      where: { clientId: f.clientA.id, event: { in: ["right_forecast", "level_forecast"] } },
    });
    expect(notes).toHaveLength(2);
    expect(notes.find((n) => n.event === "right_forecast")!.title).toBe(
      "Proyección de superar el derecho anual — Pozo a",
    );

    await getDb().capturePoint.update({ where: { id: f.a.point.id }, data: { annualVolumeM3: lastYear * 3 } });
    const third = await evaluateForecastAlerts(pool, new Date(at.getTime() + 2 * 86_400_000), [f.a.point.id]);
    expect(third.resolved).toBe(1);
    const right = await getDb().anomaly.findFirstOrThrow({ where: { pointId: f.a.point.id, type: "right_forecast" } });
    expect(right.state).toBe("resolved");
    expect(
      await getDb().notification.count({
        where: { clientId: f.clientA.id, event: { in: ["right_forecast", "level_forecast"] } },
      }),
    ).toBe(2);
  });

  it("points.updateConfig stores the forecast settings the forecast then uses", async () => {
    await runOperation(op("points.updateConfig"), getDb(), f.principals.admin, {
      id: f.a.point.id,
      waterYearStartMonth: 4,
      pumpIntakeDepthM: 55.5,
      forecastLeadDays: 45,
    });
    const r = (await runOperation(op("forecast.point"), getDb(), f.principals.viewerA, {
      id: f.a.point.id,
      at: at.toISOString(),
    })) as PointForecast;
    expect(r.point).toMatchObject({ waterYearStartMonth: 4, pumpIntakeDepthM: 55.5, forecastLeadDays: 45 });
    expect(r.right.waterYear!.from).toBe("2026-04-01");
    await expect(
      runOperation(op("points.updateConfig"), getDb(), f.principals.admin, {
        id: f.a.point.id,
        waterYearStartMonth: 13,
      }),
    ).rejects.toMatchObject({ code: "BAD_INPUT" });
  });
});
