import { dayNumber, formatDayEs } from "@/domain/forecast/calendar";
import { formatNumber } from "@/domain/format";

/** "YYYY-MM-DD" → "dd-mm-yyyy" (es-CL). */
export const dayEs = (day: string | null | undefined): string => (day ? formatDayEs(dayNumber(day)) : "—");
/** "YYYY-MM-DD" → "dd-mm" for chart axes. */
export const dayShortEs = (day: string): string => dayEs(day).slice(0, 5);
export const m3 = (v: number | null | undefined): string => `${formatNumber(v, 0)} m³`;
export const pct = (v: number | null | undefined): string => (v == null ? "—" : `${formatNumber(v, 0)} %`);
/** Badge tone of a projected share of a right: amber from 90 %, red above 100 %. */
export const tone = (p: number | null | undefined): "" | "warn" | "bad" =>
  p == null ? "" : p > 100 ? "bad" : p >= 90 ? "warn" : "";
