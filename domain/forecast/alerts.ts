import { formatNumber } from "@/domain/format";
import { dayNumber, formatDayEs } from "./calendar";
import type { LevelTrend } from "./level";
import type { RightForecast } from "./right";

/** Anomaly types (and notification events) raised ahead of time by the forecasts. */
export type ForecastEvent = "right_forecast" | "level_forecast";

export interface ForecastAlert {
  type: ForecastEvent;
  severity: "warning" | "critical";
  reason: string;
  /** The projected date (or the day it already happened), "YYYY-MM-DD". */
  date: string;
  /** Key of the episode: one alert per point and water year (right) or per point (level), updated, never repeated. */
  episode: string;
}

/**
 * Raise `right_forecast` when the projected exceedance of the annual right falls within `leadDays`
 * (warning), or the right is already exceeded (critical). The episode is the water year.
 */
export function rightAlertDecision(f: RightForecast, leadDays: number): ForecastAlert | null {
  if (f.status !== "ok" || !f.waterYear || f.waterYear.rightM3 == null) return null;
  const episode = `wy${f.waterYear.from}`;
  const pct = formatNumber(f.waterYear.projectedPctOfRight, 0);
  if (f.exceedance.alreadyExceeded) {
    return {
      type: "right_forecast",
      severity: "critical",
      date: f.asOfDay,
      episode,
      reason: `Derecho anual de ${formatNumber(f.waterYear.rightM3, 0)} m³ ya superado; se proyecta ${pct} % al cierre del año hidrológico`,
    };
  }
  if (!f.exceedance.date) return null;
  const days = dayNumber(f.exceedance.date) - dayNumber(f.asOfDay);
  if (days > leadDays) return null;
  return {
    type: "right_forecast",
    severity: days <= 7 ? "critical" : "warning",
    date: f.exceedance.date,
    episode,
    reason: `Superaría el derecho anual (${formatNumber(f.waterYear.rightM3, 0)} m³) el ${formatDayEs(dayNumber(f.exceedance.date))}, en ${days} días; proyección ${pct} % al cierre`,
  };
}

/** Raise `level_forecast` when the dynamic level is projected to reach the pump intake within `leadDays`, or already does. */
export function levelAlertDecision(t: LevelTrend, leadDays: number): ForecastAlert | null {
  if (t.status !== "ok" || t.pumpIntakeDepthM == null) return null;
  const intake = formatNumber(t.pumpIntakeDepthM, 1);
  if (t.intake.alreadyReached) {
    return {
      type: "level_forecast",
      severity: "critical",
      date: t.asOfDay,
      episode: "intake",
      reason: `El nivel dinámico (${formatNumber(t.dynamicDepthM, 1)} m) alcanza la bomba (${intake} m)`,
    };
  }
  if (!t.intake.date) return null;
  const days = dayNumber(t.intake.date) - dayNumber(t.asOfDay);
  if (days > leadDays) return null;
  return {
    type: "level_forecast",
    severity: days <= 7 ? "critical" : "warning",
    date: t.intake.date,
    episode: "intake",
    reason: `El nivel dinámico alcanzaría la bomba (${intake} m) el ${formatDayEs(dayNumber(t.intake.date))}, en ${days} días (margen ${formatNumber(t.intake.marginM, 1)} m)`,
  };
}

/** Anomaly dedupe key of a forecast alert's episode. */
export function forecastDedupeKey(a: Pick<ForecastAlert, "type" | "episode">, pointId: number): string {
  return `${a.type}:${pointId}:${a.episode}`;
}
