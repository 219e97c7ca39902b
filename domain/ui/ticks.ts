import { DISPLAY_TZ, zonedTimeToDate } from "@/domain/format";

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const MONTHS_ES = ["ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept", "oct", "nov", "dic"];

const wallParts = new Intl.DateTimeFormat("en-GB", {
  timeZone: DISPLAY_TZ,
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});
/** Wall-clock parts of an instant in America/Santiago. */
export function wall(t: number) {
  const o = Object.fromEntries(wallParts.formatToParts(t).map((p) => [p.type, p.value]));
  return { y: +o.year!, m: +o.month!, d: +o.day!, h: +o.hour! % 24, mi: +o.minute! };
}
const pad = (n: number) => String(n).padStart(2, "0");
const at = (y: number, m: number, d: number, h = 0) => {
  // Date.UTC normalises day/month overflow; the wall time is then read in Santiago.
  const n = new Date(Date.UTC(y, m - 1, d, h));
  return zonedTimeToDate(
    `${n.getUTCFullYear()}-${pad(n.getUTCMonth() + 1)}-${pad(n.getUTCDate())}T${pad(n.getUTCHours())}:00`,
  ).getTime();
};

export interface TimeTicks {
  ticks: number[];
  format: (t: number) => string;
}

/**
 * Ticks for a time axis at whole Santiago hours, days or months, so no two labels read the same and
 * none can be misread: midnights are "03-12" inside an hourly axis, months carry the full year ("dic 2026").
 */
export function timeTicks(fromMs: number, toMs: number, maxTicks = 8): TimeTicks {
  const span = toMs - fromMs;
  const out: number[] = [];
  const start = wall(fromMs);
  if (span <= 2 * DAY_MS) {
    const step = [1, 2, 3, 6, 12, 24].find((h) => span / (h * HOUR_MS) <= maxTicks) ?? 24;
    for (let i = 0; out.length < 200; i++) {
      const t = at(start.y, start.m, start.d, start.h + i);
      if (t > toMs) break;
      if (t >= fromMs && wall(t).h % step === 0) out.push(t);
    }
    const byDay = span > 20 * HOUR_MS;
    return {
      ticks: out,
      format: (t) => {
        const w = wall(t);
        return byDay && w.h === 0 ? `${pad(w.d)}-${pad(w.m)}` : `${pad(w.h)}:${pad(w.mi)}`;
      },
    };
  }
  if (span <= 92 * DAY_MS) {
    const step = [1, 2, 7, 14].find((d) => span / (d * DAY_MS) <= maxTicks) ?? 14;
    for (let i = 0, n = 0; i < 100; i++) {
      const t = at(start.y, start.m, start.d + i);
      if (t > toMs) break;
      if (t >= fromMs && n++ % step === 0) out.push(t);
    }
    return {
      ticks: out,
      format: (t) => {
        const w = wall(t);
        return `${pad(w.d)}-${pad(w.m)}`;
      },
    };
  }
  const months = Math.floor(span / (30.5 * DAY_MS));
  const step = [1, 2, 3, 6, 12].find((m) => months / m <= maxTicks) ?? 12;
  for (let i = 0; i < 400; i++) {
    const t = at(start.y, start.m + i, 1);
    if (t > toMs) break;
    const w = wall(t);
    if (t >= fromMs && (w.m - 1) % step === 0) out.push(t);
  }
  return {
    ticks: out,
    format: (t) => {
      const w = wall(t);
      return `${MONTHS_ES[w.m - 1]} ${w.y}`;
    },
  };
}

/** Decimals for y-axis labels (about five ticks) so neighbouring ticks never read the same ("0,1 0,1 0,2"). */
export function yTickDecimals(min: number, max: number): number {
  const step = (Math.abs(max - min) || Math.abs(max) || 1) / 5;
  if (step >= 1) return 0;
  if (step >= 0.1) return 1;
  if (step >= 0.01) return 2;
  return 3;
}
