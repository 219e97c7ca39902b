import type pg from "pg";
import { forecastRight, type RightForecast } from "@/domain/forecast/right";
import { levelTrend, type LevelTrend } from "@/domain/forecast/level";
import { combineRightForecasts, type ClientRightForecast } from "@/domain/forecast/client";
import { santiagoDay } from "@/domain/analytics/period";
import type { DailyVolume } from "@/domain/forecast/model";
import {
  readDailyDepths,
  readDailyVolumes,
  readForecastPoints,
  readHourlyVolumes,
  readSimilarPoints,
  type ForecastPoint,
} from "./read";

/** Own history shorter than this (days with data): borrow month factors / level from the client's similar points. */
const SHORT_HISTORY_DAYS = 365;

export interface PointForecast {
  point: ForecastPoint;
  right: RightForecast;
  /** Level trend (groundwater points only). */
  level: LevelTrend | null;
}

async function rightFor(
  pool: pg.Pool,
  point: ForecastPoint,
  daily: DailyVolume[],
  now: Date,
  withHourly: boolean,
): Promise<RightForecast> {
  const hourly = withHourly ? await readHourlyVolumes(pool, point.id, now) : undefined;
  const similar = daily.length < SHORT_HISTORY_DAYS ? await readSimilarPoints(pool, point, now) : null;
  return forecastRight({
    now,
    waterYearStartMonth: point.waterYearStartMonth,
    annualVolumeM3: point.annualVolumeM3,
    grantedFlowLps: point.grantedFlowLps,
    daily,
    hourly,
    similar: similar?.shapes,
    similarLevelM3PerDay:
      similar?.m3PerDayPerLps != null && point.grantedFlowLps ? similar.m3PerDayPerLps * point.grantedFlowLps : null,
  });
}

async function levelFor(pool: pg.Pool, point: ForecastPoint, now: Date): Promise<LevelTrend | null> {
  if (point.kind !== "groundwater") return null;
  return levelTrend({
    daily: await readDailyDepths(pool, point.id, now),
    asOfDay: santiagoDay(now),
    pumpIntakeDepthM: point.pumpIntakeDepthM,
  });
}

/** Right forecast and level trend of one point. */
export async function pointForecast(pool: pg.Pool, pointId: number, now: Date): Promise<PointForecast | null> {
  const [point] = await readForecastPoints(pool, { pointIds: [pointId] });
  if (!point) return null;
  const daily = (await readDailyVolumes(pool, [pointId], now)).get(pointId) ?? [];
  const [right, level] = await Promise.all([rightFor(pool, point, daily, now, true), levelFor(pool, point, now)]);
  return { point, right, level };
}

export interface ClientForecast {
  clientId: number;
  at: Date;
  total: ClientRightForecast;
  points: {
    pointId: number;
    name: string;
    status: RightForecast["status"];
    waterYear: RightForecast["waterYear"];
    month: RightForecast["month"];
    exceedance: RightForecast["exceedance"];
    explanation: string;
  }[];
}

/** Every active point's forecast (without the per-point hourly shape) and the client's sum. */
export async function clientForecast(pool: pg.Pool, clientId: number, now: Date): Promise<ClientForecast> {
  const points = await readForecastPoints(pool, { clientId, activeOnly: true });
  const daily = await readDailyVolumes(
    pool,
    points.map((p) => p.id),
    now,
  );
  const forecasts: RightForecast[] = [];
  for (const p of points) forecasts.push(await rightFor(pool, p, daily.get(p.id) ?? [], now, false));
  return {
    clientId,
    at: now,
    total: combineRightForecasts(forecasts),
    points: points.map((p, i) => {
      const f = forecasts[i]!;
      return {
        pointId: p.id,
        name: p.name,
        status: f.status,
        waterYear: f.waterYear,
        month: f.month,
        exceedance: f.exceedance,
        explanation: f.explanation,
      };
    }),
  };
}
