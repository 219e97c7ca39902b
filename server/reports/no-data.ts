import type { MonthlyReportData } from "./data";

/** A month without a single reading or litre: said in words, not as pages of zeros. */
export function noDataNote(d: MonthlyReportData): string | null {
  const any = d.totals.volumeM3 > 0 || d.points.some((p) => p.daysWithData > 0 || p.avgFlowLps != null);
  return any ? null : `Sin datos: ningún punto registró lecturas ni extracción en ${d.monthLabel}.`;
}
