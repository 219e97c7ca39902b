import { santiagoSlot } from "@/domain/analytics/baseline";
import { monthIndexOf, monthOf, weekdayOf, type DayNumber } from "./calendar";
import { mean, seasonalLinearFit } from "./stats";

/**
 * The seasonal shape of a point's extraction: how a calendar month and a weekday scale the daily
 * volume (factors with mean 1) and how a day's volume spreads over its local hours. Month × weekday ×
 * hour, all learnt from the point's own history (or borrowed from similar points).
 */
export interface SeasonalShape {
  /** 12 factors (enero … diciembre), mean 1; null when there is not a year of history. */
  monthFactor: number[] | null;
  /** 7 factors (domingo … sábado), mean 1. */
  weekdayFactor: number[];
  /** weekday*24+hour → share of that weekday's volume (each weekday sums to 1); null without hourly data. */
  hourShare: number[] | null;
}

/** Dense daily series: values[i] is day `firstDay + i`, NaN where there is no data. */
export interface DenseSeries {
  firstDay: DayNumber;
  values: number[];
}

export interface HourlyVolume {
  /** Start of the UTC hour. */
  bucket: Date;
  volumeM3: number;
}

const MIN_DAYS_PER_MONTH = 20;
const WEEKDAY_WINDOW_DAYS = 56;

/**
 * Month factors from monthly mean daily volumes: each month is divided by the trend line of a regression
 * of the monthly means on time plus an annual harmonic, so a steady trend does not masquerade as
 * seasonality (and a year-long history is enough to separate them).
 */
export function monthFactors(series: DenseSeries): number[] | null {
  const { firstDay, values } = series;
  if (values.length === 0) return null;
  const m0 = monthIndexOf(firstDay);
  const sums = new Map<number, { s: number; n: number }>();
  values.forEach((v, i) => {
    if (!Number.isFinite(v)) return;
    const m = monthIndexOf(firstDay + i) - m0;
    const cur = sums.get(m) ?? { s: 0, n: 0 };
    cur.s += v;
    cur.n++;
    sums.set(m, cur);
  });
  const months = monthIndexOf(firstDay + values.length - 1) - m0 + 1;
  const monthly = Array.from({ length: months }, (_, m) => {
    const c = sums.get(m);
    return c && c.n >= MIN_DAYS_PER_MONTH ? c.s / c.n : NaN;
  });
  const idx = monthly.map((_, j) => j).filter((j) => Number.isFinite(monthly[j]!));
  if (idx.length < 12) return null;
  const fit = seasonalLinearFit(
    idx,
    idx.map((j) => monthly[j]!),
    12,
  );
  if (!fit) return null;
  const ratios: number[][] = Array.from({ length: 12 }, () => []);
  for (const j of idx) {
    const line = fit.intercept + fit.slope * j;
    if (line > 0) ratios[(m0 + j) % 12]!.push(monthly[j]! / line);
  }
  const raw = ratios.map((r) => (r.length ? mean(r) : NaN));
  const filled = raw.map((v, k) =>
    Number.isFinite(v) ? v : mean([raw[(k + 11) % 12]!, raw[(k + 1) % 12]!].filter(Number.isFinite)),
  );
  return normalise(filled.map((v) => (Number.isFinite(v) ? v : 1)));
}

/** Weekday factors over the last 8 weeks, after removing the month factor. */
export function weekdayFactors(series: DenseSeries, month: number[] | null): number[] {
  const start = Math.max(0, series.values.length - WEEKDAY_WINDOW_DAYS);
  const per: number[][] = Array.from({ length: 7 }, () => []);
  for (let i = start; i < series.values.length; i++) {
    const v = series.values[i]!;
    if (!Number.isFinite(v)) continue;
    const day = series.firstDay + i;
    per[weekdayOf(day)]!.push(v / (month ? month[monthOf(day)]! : 1));
  }
  const all = per.flat();
  const overall = mean(all);
  if (!(overall > 0)) return Array(7).fill(1) as number[];
  return normalise(per.map((p) => (p.length >= 2 ? mean(p) / overall : 1)));
}

/** Hour shares per weekday (America/Santiago) from the recent hourly volumes. */
export function hourShares(hourly: readonly HourlyVolume[]): number[] | null {
  if (hourly.length < 24 * 7) return null;
  const sums = Array(168).fill(0) as number[];
  for (const h of hourly) {
    if (!Number.isFinite(h.volumeM3) || h.volumeM3 < 0) continue;
    const { weekday, hour } = santiagoSlot(h.bucket);
    sums[weekday * 24 + hour]! += h.volumeM3;
  }
  const out: number[] = [];
  for (let w = 0; w < 7; w++) {
    const day = sums.slice(w * 24, w * 24 + 24);
    const total = day.reduce((a, b) => a + b, 0);
    out.push(...day.map((v) => (total > 0 ? v / total : 1 / 24)));
  }
  return out;
}

/** Share of a local day's volume already extracted before `hour` (0–24) of `weekday`. */
export function elapsedShare(shape: SeasonalShape, weekday: number, hour: number): number {
  const h = Math.max(0, Math.min(24, hour));
  if (!shape.hourShare) return h / 24;
  let s = 0;
  for (let k = 0; k < Math.floor(h); k++) s += shape.hourShare[weekday * 24 + k]!;
  if (h < 24) s += (h - Math.floor(h)) * shape.hourShare[weekday * 24 + Math.floor(h)]!;
  return Math.min(1, s);
}

/** Pools the shapes of similar points: the median factor of each month / weekday / hour. */
export function poolShapes(shapes: readonly SeasonalShape[]): SeasonalShape | null {
  if (shapes.length === 0) return null;
  const med = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    const m = s.length >> 1;
    return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
  };
  const months = shapes.map((s) => s.monthFactor).filter((m): m is number[] => m !== null);
  const hours = shapes.map((s) => s.hourShare).filter((h): h is number[] => h !== null);
  return {
    monthFactor: months.length ? normalise(Array.from({ length: 12 }, (_, k) => med(months.map((m) => m[k]!)))) : null,
    weekdayFactor: normalise(Array.from({ length: 7 }, (_, k) => med(shapes.map((s) => s.weekdayFactor[k]!)))),
    hourShare: hours.length ? Array.from({ length: 168 }, (_, k) => mean(hours.map((h) => h[k]!))) : null,
  };
}

function normalise(xs: number[]): number[] {
  const m = mean(xs);
  return m > 0 ? xs.map((x) => x / m) : xs.map(() => 1);
}
