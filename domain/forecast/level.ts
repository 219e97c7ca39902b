import { formatNumber } from "@/domain/format";
import { dayNumber, formatDayEs, isoDay } from "./calendar";
import { linearFit, mean, seasonalLinearFit, zFor } from "./stats";

/** One Santiago day of depth to water (m below the reference; larger = deeper). */
export interface DailyDepth {
  day: string;
  /** Shallowest of the day ≈ static level (pump recovered). */
  minM: number;
  /** Deepest of the day ≈ dynamic level (pump running). */
  maxM: number;
  meanM: number;
}

const TREND_WINDOWS = [30, 90, 365] as const;
/** Window whose slope projects the dynamic level: recent enough to see this season's fall. */
const PROJECTION_WINDOW = 90;
const DAYS_PER_MONTH = 30.44;
const MAX_HORIZON_DAYS = 5 * 365;

interface LevelTrendWindow {
  days: (typeof TREND_WINDOWS)[number];
  n: number;
  /** Change of the static level per month (m/mes; + = the water table deepens). */
  slopeMPerMonth: number | null;
  /** Standard error of the slope (m/mes), autocorrelation-aware. */
  seMPerMonth: number | null;
}

export interface LevelTrend {
  status: "ok" | "insufficient";
  asOfDay: string;
  windows: LevelTrendWindow[];
  staticDepthM: number | null;
  dynamicDepthM: number | null;
  pumpIntakeDepthM: number | null;
  intake: {
    date: string | null;
    earliest: string | null;
    latest: string | null;
    alreadyReached: boolean;
    marginM: number | null;
  };
  /** Daily static/dynamic depth over the last year, then the projected dynamic depth. */
  series: { day: string; staticM: number | null; dynamicM: number | null; projectedDynamicM: number | null }[];
  explanation: string;
}

export interface LevelTrendInput {
  daily: readonly DailyDepth[];
  /** First day not in the history (today). */
  asOfDay: string;
  pumpIntakeDepthM: number | null;
}

/** Water-table trend over 30/90/365 days and the date the dynamic level would reach the pump intake. */
export function levelTrend(input: LevelTrendInput): LevelTrend {
  const today = dayNumber(input.asOfDay);
  const rows = input.daily
    .map((d) => ({ n: dayNumber(d.day), minM: d.minM, maxM: d.maxM }))
    .filter((d) => d.n < today && d.n >= today - 365 && Number.isFinite(d.minM) && Number.isFinite(d.maxM))
    .sort((a, b) => a.n - b.n);
  const windows: LevelTrendWindow[] = TREND_WINDOWS.map((days) => {
    const w = rows.filter((r) => r.n >= today - days);
    const t = w.map((r) => r.n - today);
    const y = w.map((r) => r.minM);
    // The year-long window removes an annual cycle (needs ~10 months of data); short windows are the current rate.
    const fit =
      days === 365 && w.length >= 300
        ? seasonalLinearFit(t, y, 365.25)
        : w.length >= Math.min(14, days / 2)
          ? linearFit(t, y)
          : null;
    return {
      days,
      n: w.length,
      slopeMPerMonth: fit ? fit.slope * DAYS_PER_MONTH : null,
      seMPerMonth: fit ? fit.slopeSe * DAYS_PER_MONTH : null,
    };
  });
  const last7 = rows.filter((r) => r.n >= today - 7);
  const staticDepthM = last7.length ? mean(last7.map((r) => r.minM)) : null;
  const dynamicDepthM = last7.length ? mean(last7.map((r) => r.maxM)) : null;
  const intakeM = input.pumpIntakeDepthM;
  const proj =
    windows.find((w) => w.days === PROJECTION_WINDOW && w.slopeMPerMonth !== null) ??
    windows.find((w) => w.slopeMPerMonth !== null) ??
    null;
  const z = zFor(0.9);
  const daysTo = (slopeMPerMonth: number) => {
    if (intakeM == null || dynamicDepthM == null || slopeMPerMonth <= 0) return null;
    const d = Math.ceil((intakeM - dynamicDepthM) / (slopeMPerMonth / DAYS_PER_MONTH));
    return d <= MAX_HORIZON_DAYS ? Math.max(0, d) : null;
  };
  const alreadyReached = intakeM != null && dynamicDepthM != null && dynamicDepthM >= intakeM;
  const central = proj && !alreadyReached ? daysTo(proj.slopeMPerMonth!) : null;
  const earliest = proj && !alreadyReached ? daysTo(proj.slopeMPerMonth! + z * proj.seMPerMonth!) : null;
  const latest =
    proj && !alreadyReached && central !== null ? daysTo(proj.slopeMPerMonth! - z * proj.seMPerMonth!) : null;
  const series: LevelTrend["series"] = rows.map((r) => ({
    day: isoDay(r.n),
    staticM: r.minM,
    dynamicM: r.maxM,
    projectedDynamicM: null,
  }));
  if (proj && dynamicDepthM != null) {
    const horizon = Math.min(365, central ?? 180);
    for (let k = 0; k <= horizon; k += 7)
      series.push({
        day: isoDay(today + k),
        staticM: null,
        dynamicM: null,
        projectedDynamicM: dynamicDepthM + (proj.slopeMPerMonth! / DAYS_PER_MONTH) * k,
      });
  }
  const status = rows.length >= 14 ? "ok" : "insufficient";
  return {
    status,
    asOfDay: input.asOfDay,
    windows,
    staticDepthM,
    dynamicDepthM,
    pumpIntakeDepthM: intakeM,
    intake: {
      date: central === null ? null : isoDay(today + central),
      earliest: earliest === null ? null : isoDay(today + earliest),
      latest: latest === null ? null : isoDay(today + latest),
      alreadyReached,
      marginM: intakeM != null && dynamicDepthM != null ? intakeM - dynamicDepthM : null,
    },
    series,
    explanation:
      status === "insufficient"
        ? "Sin historia de nivel suficiente (se necesitan al menos 14 días)."
        : explain(windows, proj, intakeM, alreadyReached, central === null ? null : today + central),
  };
}

function explain(
  windows: LevelTrendWindow[],
  proj: LevelTrendWindow | null,
  intakeM: number | null,
  reached: boolean,
  date: number | null,
): string {
  const fmt = (w: LevelTrendWindow) =>
    w.slopeMPerMonth === null
      ? `${w.days} d: —`
      : `${w.days} d: ${w.slopeMPerMonth >= 0 ? "+" : ""}${formatNumber(w.slopeMPerMonth, 2)} ± ${formatNumber(w.seMPerMonth, (w.seMPerMonth ?? 0) < 0.01 ? 3 : 2)} m/mes`;
  const trend = `Tendencia del nivel estático (regresión del mínimo diario, sin ciclo anual en 365 d; + = más profundo) ${windows.map(fmt).join(", ")}`;
  if (intakeM == null)
    return `${trend}. Configure la profundidad de la bomba para proyectar cuándo la alcanzaría el nivel dinámico.`;
  if (reached) return `${trend}. El nivel dinámico ya alcanza la bomba (${formatNumber(intakeM, 1)} m).`;
  if (date === null)
    return `${trend}. Al ritmo de los últimos ${proj?.days ?? PROJECTION_WINDOW} días el nivel dinámico no alcanza la bomba (${formatNumber(intakeM, 1)} m) en los próximos 5 años.`;
  return `${trend}. Al ritmo de los últimos ${proj?.days ?? PROJECTION_WINDOW} días el nivel dinámico alcanzaría la bomba (${formatNumber(intakeM, 1)} m) el ${formatDayEs(date)}.`;
}
