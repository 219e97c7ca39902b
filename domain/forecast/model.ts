import { dayNumber, monthOf, weekdayOf, type DayNumber } from "./calendar";
import {
  hourShares,
  monthFactors,
  poolShapes,
  weekdayFactors,
  type DenseSeries,
  type HourlyVolume,
  type SeasonalShape,
} from "./shape";
import { linearFit, mean } from "./stats";

/** One Santiago day's extraction (daily rollup of the totalizer). */
export interface DailyVolume {
  /** "YYYY-MM-DD" (America/Santiago). */
  day: string;
  volumeM3: number;
}

export interface ModelOptions {
  /** Days of deseasonalised history behind the level (its mean) … */
  levelDays: number;
  /** … and behind the trend (its slope). */
  trendDays: number;
  /** Daily damping of the trend: its effect levels off after ~1/(1−φ) days. */
  trendDamping: number;
  /** Below this many days with data the point's own history cannot set a level. */
  minOwnDays: number;
  /** Horizons (days) at which the method's own past errors are measured. */
  errorHorizons: readonly number[];
}

const DEFAULT_MODEL_OPTIONS: ModelOptions = {
  levelDays: 28,
  trendDays: 90,
  trendDamping: 0.98,
  minOwnDays: 28,
  errorHorizons: [7, 30, 90, 180],
};

export interface FittedModel {
  /** First day the model projects (the day after the last complete day of history). */
  origin: DayNumber;
  shape: SeasonalShape;
  /** Where each part of the shape came from. */
  source: { month: "own" | "similar" | "none"; weekday: "own" | "similar"; level: "own" | "similar" };
  /** Days with data in the point's own history. */
  historyDays: number;
  /** Deseasonalised daily volume at the origin (m³/day). */
  levelM3PerDay: number;
  /** Slope of the deseasonalised level (m³/day per day), shrunk by its significance. */
  trendM3PerDayPerDay: number;
  /** Relative 1σ error of an H-day sum, measured by replaying the method on the point's past. */
  errors: { horizonDays: number; sigma: number; origins: number }[];
  /** Whether `errors` are measured (true) or a nominal default (not enough history to measure). */
  errorsMeasured: boolean;
  options: ModelOptions;
}

/** Dense series from the first day with data up to (not including) `origin`. */
export function densify(daily: readonly DailyVolume[], origin: DayNumber): DenseSeries {
  const days = daily
    .map((d) => ({ n: dayNumber(d.day), v: d.volumeM3 }))
    .filter((d) => d.n < origin && Number.isFinite(d.v) && d.v >= 0);
  if (days.length === 0) return { firstDay: origin, values: [] };
  const firstDay = Math.min(...days.map((d) => d.n));
  const values = Array(origin - firstDay).fill(NaN) as number[];
  for (const d of days) values[d.n - firstDay] = d.v;
  return { firstDay, values };
}

const seasonal = (shape: SeasonalShape, day: DayNumber) =>
  (shape.monthFactor ? shape.monthFactor[monthOf(day)]! : 1) * shape.weekdayFactor[weekdayOf(day)]!;

/** Seasonal factor of every day of the series plus `extraDays` after it, and the deseasonalised values (NaN = no data). */
function deseasonalise(
  series: DenseSeries,
  shape: SeasonalShape,
  extraDays: number,
): { factor: Float64Array; value: Float64Array } {
  const n = series.values.length;
  const factor = new Float64Array(n + extraDays);
  const value = new Float64Array(n).fill(NaN);
  for (let i = 0; i < n + extraDays; i++) factor[i] = seasonal(shape, series.firstDay + i);
  for (let i = 0; i < n; i++) {
    const v = series.values[i]!;
    if (Number.isFinite(v) && factor[i]! >= 0.05) value[i] = v / factor[i]!;
  }
  return { factor, value };
}

/** Level and trend of the deseasonalised series using only days before `origin`. */
function levelAndTrend(
  firstDay: DayNumber,
  value: Float64Array,
  origin: DayNumber,
  opts: ModelOptions,
): { level: number; trend: number } | null {
  const t: number[] = [];
  const y: number[] = [];
  const lo = Math.max(0, origin - opts.trendDays - firstDay);
  const hi = Math.min(value.length, origin - firstDay);
  let recentSum = 0;
  let recentT = 0;
  let recentN = 0;
  for (let i = lo; i < hi; i++) {
    const v = value[i]!;
    if (Number.isNaN(v)) continue;
    const dt = firstDay + i - origin;
    t.push(dt);
    y.push(v);
    if (dt >= -opts.levelDays) {
      recentSum += v;
      recentT += dt;
      recentN++;
    }
  }
  if (recentN < 3) return null;
  const fit = t.length >= 28 ? linearFit(t, y) : null;
  // Shrink the slope towards zero by its significance: a noisy trend should not be extrapolated.
  const slope = fit ? (fit.slope * fit.slope ** 2) / (fit.slope ** 2 + fit.slopeSe ** 2 || 1) : 0;
  const level = recentSum / recentN - (slope * recentT) / recentN;
  return { level: Math.max(0, level), trend: slope };
}

/** Trend contribution after `h` days (damped sum of daily slopes). */
function trendEffect(
  model: { trendM3PerDayPerDay: number; options: Pick<ModelOptions, "trendDamping"> },
  h: number,
): number {
  const phi = model.options.trendDamping;
  return phi >= 1 ? model.trendM3PerDayPerDay * h : (model.trendM3PerDayPerDay * phi * (1 - phi ** h)) / (1 - phi);
}

/** Expected volume (m³) of each day in [from, to). */
export function projectDays(model: FittedModel, from: DayNumber, to: DayNumber): number[] {
  const out: number[] = [];
  for (let d = from; d < to; d++)
    out.push(Math.max(0, (model.levelM3PerDay + trendEffect(model, d - model.origin)) * seasonal(model.shape, d)));
  return out;
}

/** Relative 1σ error of an H-day sum: interpolated between measured horizons, √-scaled outside them. */
export function sigmaAt(model: Pick<FittedModel, "errors">, horizonDays: number): number {
  const e = model.errors;
  const h = Math.max(1, horizonDays);
  if (e.length === 0) return 0.25;
  if (h <= e[0]!.horizonDays) return e[0]!.sigma * Math.sqrt(e[0]!.horizonDays / h);
  for (let k = 1; k < e.length; k++) {
    const a = e[k - 1]!;
    const b = e[k]!;
    if (h <= b.horizonDays)
      return a.sigma + ((b.sigma - a.sigma) * (h - a.horizonDays)) / (b.horizonDays - a.horizonDays);
  }
  const last = e[e.length - 1]!;
  return last.sigma * Math.sqrt(h / last.horizonDays);
}

/**
 * Replays the method at past origins (weekly, over the last two years) and measures the RMS relative
 * error of its H-day sums: the interval then says how wrong this method has been on this point.
 */
function measureErrors(
  series: DenseSeries,
  shape: SeasonalShape,
  origin: DayNumber,
  opts: ModelOptions,
): FittedModel["errors"] {
  const out: FittedModel["errors"] = [];
  const { factor, value } = deseasonalise(series, shape, 0);
  for (const H of opts.errorHorizons) {
    const errs: number[] = [];
    for (let o = origin - H; o - series.firstDay >= opts.minOwnDays && errs.length < 104; o -= 7) {
      const lt = levelAndTrend(series.firstDay, value, o, opts);
      if (!lt) continue;
      let actual = 0;
      let effect = 0;
      let decay = 1;
      let predicted = 0;
      let missing = 0;
      for (let k = 0; k < H; k++) {
        const i = o + k - series.firstDay;
        const v = series.values[i];
        if (v === undefined || !Number.isFinite(v)) missing++;
        else {
          actual += v;
          predicted += Math.max(0, (lt.level + effect) * factor[i]!);
        }
        // Running form of trendEffect (same damped sum, without a power per day).
        decay *= opts.trendDamping;
        effect += lt.trend * decay;
      }
      if (missing > H * 0.1 || predicted <= 0) continue;
      errs.push(actual / predicted - 1);
    }
    if (errs.length >= 4)
      out.push({
        horizonDays: H,
        sigma: Math.max(0.01, Math.sqrt(mean(errs.map((x) => x * x)))),
        origins: errs.length,
      });
  }
  return out;
}

export interface FitInput {
  daily: readonly DailyVolume[];
  /** First day to project (usually today: its partial volume is handled by the caller). */
  origin: DayNumber;
  /** Recent hourly volumes (≥ a week) for the hour-of-day shape. */
  hourly?: readonly HourlyVolume[];
  /** Shapes of the client's similar points, used when the point's own history is short. */
  similar?: readonly SeasonalShape[];
  /** Similar points' deseasonalised levels scaled to this point (used when it has almost no data). */
  similarLevelM3PerDay?: number | null;
  options?: Partial<ModelOptions>;
}

/** Fits the explainable model: own seasonal shape where the history allows, else the similar points'. */
export function fitModel(input: FitInput): FittedModel | null {
  const opts = { ...DEFAULT_MODEL_OPTIONS, ...input.options };
  const series = densify(input.daily, input.origin);
  const historyDays = series.values.filter(Number.isFinite).length;
  const pooled = poolShapes(input.similar ?? []);
  const ownMonth = monthFactors(series);
  const month = ownMonth ?? pooled?.monthFactor ?? null;
  const ownWeek = historyDays >= opts.minOwnDays;
  const shape: SeasonalShape = {
    monthFactor: month,
    weekdayFactor: ownWeek || !pooled ? weekdayFactors(series, month) : pooled.weekdayFactor,
    hourShare: hourShares(input.hourly ?? []) ?? pooled?.hourShare ?? null,
  };
  const source: FittedModel["source"] = {
    month: ownMonth ? "own" : month ? "similar" : "none",
    weekday: ownWeek || !pooled ? "own" : "similar",
    level: "own",
  };
  let lt = levelAndTrend(series.firstDay, deseasonalise(series, shape, 0).value, input.origin, opts);
  if (!lt && input.similarLevelM3PerDay != null) {
    lt = { level: input.similarLevelM3PerDay, trend: 0 };
    source.level = "similar";
  }
  if (!lt) return null;
  const errors = measureErrors(series, shape, input.origin, opts);
  return {
    origin: input.origin,
    shape,
    source,
    historyDays,
    levelM3PerDay: lt.level,
    trendM3PerDayPerDay: lt.trend,
    errors: errors.length ? errors : [{ horizonDays: 30, sigma: source.level === "similar" ? 0.35 : 0.2, origins: 0 }],
    errorsMeasured: errors.length > 0,
    options: opts,
  };
}

/** The point's own shape, to lend to its similar points when their history is short. */
export function ownShape(
  daily: readonly DailyVolume[],
  origin: DayNumber,
  hourly: readonly HourlyVolume[] = [],
): SeasonalShape | null {
  const series = densify(daily, origin);
  if (series.values.filter(Number.isFinite).length < DEFAULT_MODEL_OPTIONS.minOwnDays) return null;
  const month = monthFactors(series);
  return { monthFactor: month, weekdayFactor: weekdayFactors(series, month), hourShare: hourShares(hourly) };
}
