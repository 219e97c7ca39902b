import { santiagoDay } from "@/domain/analytics/period";

/**
 * Calendar arithmetic on America/Santiago days without time zones: a day is its day number (days since
 * 1970-01-01 of the calendar date), so adding days, weekdays and month ends never meet a DST jump.
 * Daily rollup buckets are Santiago days, so a bucket maps to exactly one day number.
 */
export type DayNumber = number;

const MS_PER_DAY = 86_400_000;

export function dayNumber(isoDay: string): DayNumber {
  const [y, m, d] = isoDay.split("-").map(Number) as [number, number, number];
  return Math.round(Date.UTC(y, m - 1, d) / MS_PER_DAY);
}

export function isoDay(day: DayNumber): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** Santiago calendar day of an instant. */
export function santiagoDayNumber(ts: Date): DayNumber {
  return dayNumber(santiagoDay(ts));
}

/** 0 = domingo … 6 = sábado (1970-01-01 was a Thursday). */
export function weekdayOf(day: DayNumber): number {
  return (((day + 4) % 7) + 7) % 7;
}

/** Year, month (1–12) and day of a day number (Hinnant's civil-from-days: no Date allocation on hot loops). */
export function civil(day: DayNumber): { y: number; m: number; d: number } {
  const z = day + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return { y: yoe + era * 400 + (m <= 2 ? 1 : 0), m, d };
}

/** Calendar month 0–11. */
export function monthOf(day: DayNumber): number {
  return civil(day).m - 1;
}

/** Index of the calendar month since year 0 (consecutive months differ by 1). */
export function monthIndexOf(day: DayNumber): number {
  const c = civil(day);
  return c.y * 12 + c.m - 1;
}

function firstDayOfMonthIndex(monthIndex: number): DayNumber {
  return Math.round(Date.UTC(Math.floor(monthIndex / 12), monthIndex % 12, 1) / MS_PER_DAY);
}

export interface DayRange {
  /** First day (inclusive). */
  from: DayNumber;
  /** Day after the last one (exclusive). */
  to: DayNumber;
}

/** The calendar month containing `day`. */
export function monthRange(day: DayNumber): DayRange {
  const m = monthIndexOf(day);
  return { from: firstDayOfMonthIndex(m), to: firstDayOfMonthIndex(m + 1) };
}

/**
 * The water year containing `day`: twelve months from the 1st of `startMonth` (1–12; 1 = calendar year).
 * A point whose rights run April–March sets startMonth 4.
 */
export function waterYearRange(day: DayNumber, startMonth: number): DayRange {
  const m = monthIndexOf(day);
  const offset = ((((m % 12) - (startMonth - 1)) % 12) + 12) % 12;
  const start = m - offset;
  return { from: firstDayOfMonthIndex(start), to: firstDayOfMonthIndex(start + 12) };
}

/** dd-mm-yyyy, as the portal shows dates. */
export function formatDayEs(day: DayNumber): string {
  const [y, m, d] = isoDay(day).split("-");
  return `${d}-${m}-${y}`;
}
