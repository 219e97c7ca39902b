import type { QualityName } from "@/domain/measurements/quality";

/** Pure helpers for the point charts (no clock: time is passed in). */
export const QUALITY_COLOR: Record<QualityName, string> = {
  ok: "#0a6a93",
  suspect: "#e0a500",
  error_code: "#d2352b",
  out_of_range: "#b3261e",
  spike: "#8e44ad",
  frozen: "#3a8fd0",
  reset: "#16a085",
  rollover: "#16a085",
  gap: "#7b8893",
  future: "#c2185b",
  duplicate_conflict: "#6d4c41",
  unparseable: "#222222",
};

export const RANGE_PRESETS = [
  { key: "1h", label: "1 h", ms: 3_600_000 },
  { key: "24h", label: "24 h", ms: 86_400_000 },
  { key: "7d", label: "7 d", ms: 7 * 86_400_000 },
  { key: "30d", label: "30 d", ms: 30 * 86_400_000 },
  { key: "1y", label: "1 año", ms: 365 * 86_400_000 },
] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number]["key"];

/** The window of a preset ending at `now`, rounded down to the minute so query keys stay stable within a minute. */
export function presetRange(key: RangePreset, now: Date): { from: Date; to: Date } {
  const ms = RANGE_PRESETS.find((p) => p.key === key)!.ms;
  const to = new Date(Math.floor(now.getTime() / 60_000) * 60_000 + 60_000);
  return { from: new Date(to.getTime() - ms), to };
}

export interface ChartRow {
  t: number;
  v: number | null;
  min?: number | null;
  max?: number | null;
  q: QualityName;
  flagged: boolean;
}

/** History rows (raw or bucketed) as chart rows: raw value or bucket average, with the (worst) quality. */
export function toChartRows(
  rows: readonly ({ t: Date | string } & (
    | { value: number | null; quality: QualityName; flagged: boolean }
    | {
        avg: number | null;
        min: number | null;
        max: number | null;
        worstQuality: QualityName;
        flagged: boolean;
        count: number;
        excluded: number;
      }
  ))[],
): ChartRow[] {
  // Empty buckets (no reading at all) are left out so the line joins the readings around them.
  return rows
    .filter((r) => "value" in r || r.count + r.excluded > 0)
    .map((r) =>
      "value" in r
        ? { t: new Date(r.t).getTime(), v: r.value, q: r.quality, flagged: r.flagged }
        : { t: new Date(r.t).getTime(), v: r.avg, min: r.min, max: r.max, q: r.worstQuality, flagged: r.flagged },
    );
}

/** Ranges up to two days are fetched raw (every reading and its flag); longer ones are downsampled by the server. */
export const RAW_MAX_MS = 2 * 86_400_000;

/** Display form of a canonical unit. */
export function unitLabel(u: string): string {
  return u === "m3" ? "m³" : u;
}

export const BUCKET_LABEL: Record<string, string> = {
  raw: "datos crudos",
  minute: "por minuto",
  "5min": "cada 5 min",
  "15min": "cada 15 min",
  hour: "por hora",
  day: "por día",
  month: "por mes",
};
