import { dayNumber, isoDay, monthOf, weekdayOf } from "./calendar";
import type { DailyVolume } from "./model";

/** Known-truth daily series for tests: level × (1 + trend·t) × month factor × weekday factor × deterministic noise. */
export interface Truth {
  levelM3: number;
  /** Relative change per day. */
  trendPerDay?: number;
  month?: number[];
  weekday?: number[];
  noise?: number;
}

export const MONTH = [1.4, 1.3, 1.15, 0.95, 0.8, 0.7, 0.65, 0.7, 0.85, 1.0, 1.15, 1.35];
export const WEEK = [0.4, 1.12, 1.12, 1.12, 1.12, 1.12, 1.0];

export function truthAt(t: Truth, day: number, ref: number): number {
  const m = t.month ? t.month[monthOf(day)]! / (t.month.reduce((a, b) => a + b, 0) / 12) : 1;
  const w = t.weekday ? t.weekday[weekdayOf(day)]! / (t.weekday.reduce((a, b) => a + b, 0) / 7) : 1;
  return t.levelM3 * (1 + (t.trendPerDay ?? 0) * (day - ref)) * m * w;
}

export function synthetic(t: Truth, from: string, to: string, ref = from): DailyVolume[] {
  const out: DailyVolume[] = [];
  for (let d = dayNumber(from); d < dayNumber(to); d++) {
    const wobble = 1 + (t.noise ?? 0) * Math.sin(d * 12.9898 + 78.233);
    out.push({ day: isoDay(d), volumeM3: truthAt(t, d, dayNumber(ref)) * wobble });
  }
  return out;
}
