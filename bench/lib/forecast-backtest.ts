/**
 * Backtests of the explainable forecasts on a simulated multi-year fleet (simulators/history): volume error
 * and interval coverage at fixed horizons, lead time of right-exceedance alerts, and level-trend error.
 * Pure CPU; used by bench/forecast.ts and its unit test.
 */
import { dayNumber, waterYearRange } from "@/domain/forecast/calendar";
import { fitModel, projectDays, sigmaAt } from "@/domain/forecast/model";
import { forecastRight, INTERVAL_LEVEL } from "@/domain/forecast/right";
import { rightAlertDecision } from "@/domain/forecast/alerts";
import { levelTrend } from "@/domain/forecast/level";
import { zFor } from "@/domain/forecast/stats";
import {
  historyRange,
  localHourBuckets,
  type HistoryDay,
  type HistoryWellConfig,
} from "@/simulators/history/generator";

export interface HorizonScore {
  horizonDays: number;
  forecasts: number;
  /** Mean absolute percentage error of the H-day volume sum. */
  mapePct: number;
  /** Median absolute percentage error. */
  medianApePct: number;
  /** Share of actual sums inside the interval. */
  coveragePct: number;
}

export interface LeadTimeScore {
  wells: number;
  exceeded: number;
  alertedBeforeExceedance: number;
  missed: number;
  falseAlarms: number;
  medianLeadDays: number | null;
  minLeadDays: number | null;
}

const z = zFor(INTERVAL_LEVEL);

/** Forecast error at each horizon, from origins every `stepDays` over [testFrom, testTo). */
export function scoreHorizons(
  fleet: readonly { cfg: HistoryWellConfig; days: HistoryDay[] }[],
  testFrom: string,
  testTo: string,
  horizons: readonly number[],
  stepDays: number,
): HorizonScore[] {
  const errs = new Map<number, { ape: number[]; inside: number }>(horizons.map((h) => [h, { ape: [], inside: 0 }]));
  for (const { days } of fleet) {
    const first = dayNumber(days[0]!.day);
    const daily = days.map((d) => ({ day: d.day, volumeM3: d.volumeM3 }));
    for (let o = dayNumber(testFrom); o < dayNumber(testTo); o += stepDays) {
      const hourly = days
        .slice(Math.max(0, o - first - 56), o - first)
        .flatMap((d) => localHourBuckets(dayNumber(d.day)).map((bucket, h) => ({ bucket, volumeM3: d.hourlyM3[h]! })));
      const model = fitModel({ daily: daily.slice(0, o - first), origin: o, hourly });
      if (!model) continue;
      for (const H of horizons) {
        const e = errs.get(H)!;
        const actual = days.slice(o - first, o - first + H).reduce((s, d) => s + d.volumeM3, 0);
        if (o - first + H > days.length || actual <= 0) continue;
        const pred = projectDays(model, o, o + H).reduce((a, b) => a + b, 0);
        const s = sigmaAt(model, H);
        e.ape.push(Math.abs(pred - actual) / actual);
        if (actual >= pred * (1 - z * s) && actual <= pred * (1 + z * s)) e.inside++;
      }
    }
  }
  return horizons.map((H) => {
    const e = errs.get(H)!;
    const sorted = [...e.ape].sort((a, b) => a - b);
    return {
      horizonDays: H,
      forecasts: e.ape.length,
      mapePct: (100 * e.ape.reduce((a, b) => a + b, 0)) / Math.max(1, e.ape.length),
      medianApePct: 100 * (sorted[sorted.length >> 1] ?? NaN),
      coveragePct: (100 * e.inside) / Math.max(1, e.ape.length),
    };
  });
}

/**
 * Each well gets an annual right near its actual extraction of the test water year (±15 %), so some
 * exceed and some do not; the forecast runs weekly through the year and the alert rule decides.
 */
export function scoreLeadTime(
  fleet: readonly { cfg: HistoryWellConfig; days: HistoryDay[] }[],
  waterYearStart: string,
  leadDays: number,
  rightFactor: (i: number) => number,
): LeadTimeScore {
  const leads: number[] = [];
  let exceeded = 0;
  let missed = 0;
  let falseAlarms = 0;
  fleet.forEach(({ days }, i) => {
    const first = dayNumber(days[0]!.day);
    const wy = waterYearRange(dayNumber(waterYearStart), 1);
    const yearDays = days.slice(wy.from - first, wy.to - first);
    const total = yearDays.reduce((s, d) => s + d.volumeM3, 0);
    const right = total * rightFactor(i);
    let cum = 0;
    let exceedDay: number | null = null;
    for (const d of yearDays) {
      cum += d.volumeM3;
      if (cum > right) {
        exceedDay = dayNumber(d.day);
        break;
      }
    }
    if (exceedDay !== null) exceeded++;
    let alertDay: number | null = null;
    for (let o = wy.from + 14; o < wy.to && alertDay === null; o += 7) {
      const now = new Date(localHourBuckets(o)[0]!.getTime());
      const f = forecastRight({
        now,
        waterYearStartMonth: 1,
        annualVolumeM3: right,
        grantedFlowLps: null,
        daily: days.slice(0, o - first).map((d) => ({ day: d.day, volumeM3: d.volumeM3 })),
      });
      if (rightAlertDecision(f, leadDays)) alertDay = o;
      if (exceedDay !== null && o > exceedDay) break;
    }
    if (exceedDay === null) {
      if (alertDay !== null) falseAlarms++;
    } else if (alertDay === null || alertDay > exceedDay) missed++;
    else leads.push(exceedDay - alertDay);
  });
  const sorted = [...leads].sort((a, b) => a - b);
  return {
    wells: fleet.length,
    exceeded,
    alertedBeforeExceedance: leads.length,
    missed,
    falseAlarms,
    medianLeadDays: sorted.length ? sorted[sorted.length >> 1]! : null,
    minLeadDays: sorted.length ? sorted[0]! : null,
  };
}

/** Mean absolute error (m/mes) of the 365-day water-table trend against the generator's true trend. */
export function scoreLevelTrend(
  fleet: readonly { cfg: HistoryWellConfig; days: HistoryDay[] }[],
  asOf: string,
): { wells: number; maeMPerMonth: number; coveragePct: number } {
  let err = 0;
  let inside = 0;
  for (const { cfg, days } of fleet) {
    const t = levelTrend({
      daily: days
        .filter((d) => d.day < asOf)
        .map((d) => ({ day: d.day, minM: d.depthMinM, maxM: d.depthMaxM, meanM: d.depthMeanM })),
      asOfDay: asOf,
      pumpIntakeDepthM: null,
    });
    const w = t.windows.find((x) => x.days === 365);
    if (!w || w.slopeMPerMonth == null || w.seMPerMonth == null) continue;
    const truth = cfg.depthTrendMPerYear / 12;
    err += Math.abs(w.slopeMPerMonth - truth);
    if (Math.abs(w.slopeMPerMonth - truth) <= z * w.seMPerMonth) inside++;
  }
  return { wells: fleet.length, maeMPerMonth: err / fleet.length, coveragePct: (100 * inside) / fleet.length };
}

export function fleetHistory(cfgs: readonly HistoryWellConfig[], from: string, to: string) {
  return cfgs.map((cfg) => ({ cfg, days: historyRange(cfg, from, to) }));
}
