import { formatNumber } from "@/domain/format";
import { dayNumber, formatDayEs } from "./calendar";
import type { ForecastSeriesPoint, PeriodForecast, RightForecast } from "./right";

export interface ClientRightForecast {
  points: number;
  /** Points with a usable forecast (the rest have too little history). */
  forecastPoints: number;
  month: PeriodForecast | null;
  waterYear: PeriodForecast | null;
  /** Summed cumulative series; null when the points count their water years from different months. */
  series: ForecastSeriesPoint[] | null;
  exceedance: { date: string | null; earliest: string | null; alreadyExceeded: boolean };
  /** Points projected to exceed their own right before their water year ends. */
  pointsProjectedToExceed: number;
  explanation: string;
}

function sumPeriods(list: readonly PeriodForecast[]): PeriodForecast | null {
  if (list.length === 0) return null;
  const s = (f: (p: PeriodForecast) => number) => list.reduce((a, p) => a + f(p), 0);
  const rights = list.map((p) => p.rightM3).filter((r): r is number => r != null);
  const rightM3 = rights.length === list.length ? rights.reduce((a, b) => a + b, 0) : null;
  const projectedM3 = s((p) => p.projectedM3);
  return {
    from: list.map((p) => p.from).sort()[0]!,
    to: list
      .map((p) => p.to)
      .sort()
      .at(-1)!,
    actualM3: s((p) => p.actualM3),
    projectedM3,
    // Point errors share weather and demand, so the widths are added (fully correlated): a conservative band.
    lowM3: s((p) => p.lowM3),
    highM3: s((p) => p.highM3),
    rightM3,
    projectedPctOfRight: rightM3 ? (projectedM3 / rightM3) * 100 : null,
  };
}

/** A client's forecast: its points' forecasts summed, against the sum of their rights. */
export function combineRightForecasts(list: readonly RightForecast[]): ClientRightForecast {
  const ok = list.filter((f) => f.status === "ok" && f.waterYear && f.month);
  const waterYear = sumPeriods(ok.map((f) => f.waterYear!));
  const month = sumPeriods(ok.map((f) => f.month!));
  const sameYear = ok.length > 0 && ok.every((f) => f.waterYear!.from === ok[0]!.waterYear!.from);
  let series: ForecastSeriesPoint[] | null = null;
  let date: string | null = null;
  let earliest: string | null = null;
  if (sameYear) {
    const add = (a: number | null, b: number | null) => (a === null && b === null ? null : (a ?? 0) + (b ?? 0));
    series = ok[0]!.series.map((p, i) =>
      ok.slice(1).reduce(
        (acc, f) => {
          const q = f.series[i];
          return q
            ? {
                day: acc.day,
                actualCumM3: add(acc.actualCumM3, q.actualCumM3),
                projectedCumM3: add(acc.projectedCumM3, q.projectedCumM3),
                lowCumM3: add(acc.lowCumM3, q.lowCumM3),
                highCumM3: add(acc.highCumM3, q.highCumM3),
              }
            : acc;
        },
        { ...p },
      ),
    );
    const right = waterYear?.rightM3;
    if (right) {
      date = series.find((p) => p.projectedCumM3 !== null && p.projectedCumM3 > right)?.day ?? null;
      earliest = series.find((p) => p.highCumM3 !== null && p.highCumM3 > right)?.day ?? null;
    }
  }
  const alreadyExceeded = !!waterYear?.rightM3 && waterYear.actualM3 > waterYear.rightM3;
  const projectedToExceed = ok.filter((f) => f.exceedance.alreadyExceeded || f.exceedance.date !== null).length;
  const head = !waterYear
    ? "Sin puntos con historia suficiente para proyectar"
    : alreadyExceeded
      ? "La suma de derechos anuales ya fue superada"
      : date
        ? `La extracción total superaría la suma de derechos el ${formatDayEs(dayNumber(date))}`
        : waterYear.rightM3
          ? `Proyecta ${formatNumber(waterYear.projectedPctOfRight, 0)} % de la suma de derechos anuales`
          : "Proyección del año hidrológico";
  return {
    points: list.length,
    forecastPoints: ok.length,
    month,
    waterYear,
    series,
    exceedance: { date: alreadyExceeded ? null : date, earliest: alreadyExceeded ? null : earliest, alreadyExceeded },
    pointsProjectedToExceed: projectedToExceed,
    explanation: `${head}: suma de ${ok.length} de ${list.length} puntos, cada uno con su propio perfil estacional; ${projectedToExceed} punto(s) superarían su derecho.`,
  };
}
