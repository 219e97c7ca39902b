import { santiagoSlot } from "@/domain/analytics/baseline";
import { formatNumber } from "@/domain/format";
import {
  dayNumber,
  formatDayEs,
  isoDay,
  monthRange,
  santiagoDayNumber,
  waterYearRange,
  type DayNumber,
} from "./calendar";
import { fitModel, projectDays, sigmaAt, type DailyVolume, type FittedModel, type ModelOptions } from "./model";
import { elapsedShare, type HourlyVolume, type SeasonalShape } from "./shape";
import { zFor } from "./stats";

/** Nominal coverage of the intervals shown (the backtest reports the coverage actually reached). */
export const INTERVAL_LEVEL = 0.9 as const;

export interface RightForecastInput {
  now: Date;
  /** 1–12; 1 = calendar year. */
  waterYearStartMonth: number;
  annualVolumeM3: number | null;
  grantedFlowLps: number | null;
  /** Daily volumes, including today's partial one. */
  daily: readonly DailyVolume[];
  hourly?: readonly HourlyVolume[];
  similar?: readonly SeasonalShape[];
  similarLevelM3PerDay?: number | null;
  options?: Partial<ModelOptions>;
}

export interface PeriodForecast {
  from: string;
  /** Last day of the period (inclusive). */
  to: string;
  actualM3: number;
  /** Actual so far + expected rest of the period. */
  projectedM3: number;
  lowM3: number;
  highM3: number;
  /** The right for the period: annual volume for the water year, granted flow × period length for the month. */
  rightM3: number | null;
  projectedPctOfRight: number | null;
}

export interface ForecastSeriesPoint {
  day: string;
  /** Cumulative water-year volume, actual (up to today). */
  actualCumM3: number | null;
  /** Cumulative projection and its interval (from today on). */
  projectedCumM3: number | null;
  lowCumM3: number | null;
  highCumM3: number | null;
}

export interface RightForecast {
  status: "ok" | "insufficient";
  asOfDay: string;
  month: PeriodForecast | null;
  waterYear: PeriodForecast | null;
  /** Expected highest hourly average flow of the rest of the month (L/s), against the granted flow. */
  projectedPeakFlowLps: number | null;
  grantedFlowLps: number | null;
  exceedance: { date: string | null; earliest: string | null; alreadyExceeded: boolean };
  series: ForecastSeriesPoint[];
  explanation: string;
  model: {
    historyDays: number;
    source: FittedModel["source"] | null;
    levelM3PerDay: number | null;
    trendPctPerMonth: number | null;
    monthFactor: number[] | null;
    weekdayFactor: number[] | null;
    sigma30: number | null;
    errorsMeasured: boolean;
  };
}

const M3_PER_LPS_DAY = 86.4;
const minuteFmt = new Intl.DateTimeFormat("en-GB", { timeZone: "America/Santiago", minute: "2-digit" });

/** Volume forecast of one point against its rights, with interval, exceedance date and a one-line explanation. */
export function forecastRight(input: RightForecastInput): RightForecast {
  const today = santiagoDayNumber(input.now);
  const { weekday, hour } = santiagoSlot(input.now);
  const minute = Number(minuteFmt.format(input.now));
  const model = fitModel({
    daily: input.daily,
    origin: today,
    hourly: input.hourly,
    similar: input.similar,
    similarLevelM3PerDay: input.similarLevelM3PerDay,
    options: input.options,
  });
  const wy = waterYearRange(today, input.waterYearStartMonth);
  const mo = monthRange(today);
  const byDay = new Map<DayNumber, number>();
  for (const d of input.daily)
    if (Number.isFinite(d.volumeM3)) byDay.set(dayNumber(d.day), (byDay.get(dayNumber(d.day)) ?? 0) + d.volumeM3);
  const actualIn = (from: DayNumber, to: DayNumber) => {
    let s = 0;
    for (let d = from; d < to; d++) s += byDay.get(d) ?? 0;
    return s;
  };
  const base = { asOfDay: isoDay(today), grantedFlowLps: input.grantedFlowLps };
  if (!model) {
    return {
      ...base,
      status: "insufficient",
      month: null,
      waterYear: null,
      projectedPeakFlowLps: null,
      exceedance: { date: null, earliest: null, alreadyExceeded: false },
      series: [],
      explanation:
        "Sin historia suficiente para proyectar (se necesitan al menos 3 días con datos o puntos similares del cliente).",
      model: {
        historyDays: 0,
        source: null,
        levelM3PerDay: null,
        trendPctPerMonth: null,
        monthFactor: null,
        weekdayFactor: null,
        sigma30: null,
        errorsMeasured: false,
      },
    };
  }
  // Today is partly measured: the projection covers only the share of today's volume still to come.
  const todayActual = byDay.get(today) ?? 0;
  const daily = projectDays(model, today, wy.to);
  const elapsed = elapsedShare(model.shape, weekday, hour + minute / 60);
  daily[0] = Math.max(0, daily[0]! * (1 - elapsed));
  const z = zFor(INTERVAL_LEVEL);
  const wyActual = actualIn(wy.from, today) + todayActual;

  const series: ForecastSeriesPoint[] = [];
  let cum = 0;
  for (let d = wy.from; d < today; d++) {
    cum += byDay.get(d) ?? 0;
    series.push({ day: isoDay(d), actualCumM3: cum, projectedCumM3: null, lowCumM3: null, highCumM3: null });
  }
  let proj = 0;
  let exceedDate: DayNumber | null = null;
  let earliest: DayNumber | null = null;
  const right = input.annualVolumeM3;
  const alreadyExceeded = right != null && right > 0 && wyActual > right;
  for (let k = 0; k < daily.length; k++) {
    proj += daily[k]!;
    const s = sigmaAt(model, k + 1);
    const mid = wyActual + proj;
    const low = wyActual + Math.max(0, proj * (1 - z * s));
    const high = wyActual + proj * (1 + z * s);
    series.push({
      day: isoDay(today + k),
      actualCumM3: k === 0 ? wyActual : null,
      projectedCumM3: mid,
      lowCumM3: low,
      highCumM3: high,
    });
    if (right != null && right > 0 && !alreadyExceeded) {
      if (exceedDate === null && mid > right) exceedDate = today + k;
      if (earliest === null && high > right) earliest = today + k;
    }
  }
  const period = (
    from: DayNumber,
    to: DayNumber,
    actual: number,
    rest: number[],
    rightM3: number | null,
  ): PeriodForecast => {
    const p = rest.reduce((a, b) => a + b, 0);
    const s = sigmaAt(model, rest.length);
    const projected = actual + p;
    return {
      from: isoDay(from),
      to: isoDay(to - 1),
      actualM3: actual,
      projectedM3: projected,
      lowM3: actual + Math.max(0, p * (1 - z * s)),
      highM3: actual + p * (1 + z * s),
      rightM3,
      projectedPctOfRight: rightM3 ? (projected / rightM3) * 100 : null,
    };
  };
  const monthRest = daily.slice(0, mo.to - today);
  const monthRight = input.grantedFlowLps ? input.grantedFlowLps * M3_PER_LPS_DAY * (mo.to - mo.from) : null;
  const monthF = period(mo.from, mo.to, actualIn(mo.from, today) + todayActual, monthRest, monthRight);
  const wyF = period(wy.from, wy.to, wyActual, daily, right);
  const peakShare = model.shape.hourShare ? Math.max(...model.shape.hourShare) : 1 / 24;
  const peakDay = Math.max(0, ...projectDays(model, today, mo.to));
  const trendPctPerMonth =
    model.levelM3PerDay > 0 ? (model.trendM3PerDayPerDay * 30.44 * 100) / model.levelM3PerDay : null;
  return {
    ...base,
    status: "ok",
    month: monthF,
    waterYear: wyF,
    projectedPeakFlowLps: (peakDay * peakShare * 1000) / 3600,
    exceedance: {
      date: exceedDate === null ? null : isoDay(exceedDate),
      earliest: earliest === null ? null : isoDay(earliest),
      alreadyExceeded,
    },
    series,
    explanation: explain(model, trendPctPerMonth, exceedDate, alreadyExceeded, wyF, today),
    model: {
      historyDays: model.historyDays,
      source: model.source,
      levelM3PerDay: model.levelM3PerDay,
      trendPctPerMonth,
      monthFactor: model.shape.monthFactor,
      weekdayFactor: model.shape.weekdayFactor,
      sigma30: sigmaAt(model, 30),
      errorsMeasured: model.errorsMeasured,
    },
  };
}

function explain(
  m: FittedModel,
  trendPct: number | null,
  exceed: DayNumber | null,
  already: boolean,
  wy: PeriodForecast,
  today: DayNumber,
): string {
  const parts: string[] = [];
  const history = m.historyDays >= 60 ? `${formatNumber(m.historyDays / 30.44, 0)} meses` : `${m.historyDays} días`;
  if (m.source.level === "similar")
    parts.push("Nivel y perfil tomados de puntos similares del cliente (historia propia insuficiente)");
  else {
    const season =
      m.source.month === "own"
        ? "perfil estacional mes × día × hora"
        : m.source.month === "similar"
          ? "perfil día × hora propio y estacionalidad mensual de puntos similares"
          : "perfil día × hora (sin estacionalidad mensual: menos de un año de historia)";
    parts.push(`${season} de ${history} de historia propia`);
  }
  if (trendPct != null)
    parts.push(
      `tendencia ${trendPct >= 0 ? "+" : ""}${formatNumber(trendPct, 1)} %/mes (últimos ${m.options.trendDays} días)`,
    );
  parts.push(
    `intervalo ${INTERVAL_LEVEL * 100} % ${m.errorsMeasured ? "según los errores del método en la historia del punto" : "nominal"}`,
  );
  const head = already
    ? "Derecho anual ya superado"
    : exceed !== null
      ? `Superaría el derecho anual el ${formatDayEs(exceed)} (en ${exceed - today} días)`
      : wy.rightM3
        ? `Proyecta ${formatNumber(wy.projectedPctOfRight, 0)} % del derecho anual`
        : "Proyección del año hidrológico";
  return `${head}: ${parts.join("; ")}.`;
}
