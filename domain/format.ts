/** Chilean display formats (es-CL): dd-mm-yyyy, decimal comma, America/Santiago unless told otherwise. */
export const DISPLAY_TZ = "America/Santiago";

const pad = (n: number) => String(n).padStart(2, "0");

// Building an Intl formatter costs far more than formatting with it (tables and chart axes format
// hundreds of values per render), so one formatter per time zone / decimals is kept.
const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();
const numberFormats = new Map<number, Intl.NumberFormat>();

function parts(d: Date, timeZone: string) {
  let f = dateTimeFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-GB", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      hourCycle: "h23",
    });
    dateTimeFormats.set(timeZone, f);
  }
  const o = Object.fromEntries(f.formatToParts(d).map((p) => [p.type, p.value]));
  return { y: o.year!, m: o.month!, d: o.day!, h: o.hour!, mi: o.minute!, s: o.second! };
}

export function formatDate(d: Date | string, timeZone = DISPLAY_TZ): string {
  const p = parts(new Date(d), timeZone);
  return `${p.d}-${p.m}-${p.y}`;
}

export function formatDateTime(d: Date | string, timeZone = DISPLAY_TZ, withSeconds = false): string {
  const p = parts(new Date(d), timeZone);
  return `${p.d}-${p.m}-${p.y} ${p.h}:${p.mi}${withSeconds ? `:${p.s}` : ""}`;
}

/** DGA slot times as the DGA sees them: fixed UTC-4 all year. */
export function formatDgaDateTime(d: Date | string): string {
  const shifted = new Date(new Date(d).getTime() - 4 * 3600_000);
  return `${pad(shifted.getUTCDate())}-${pad(shifted.getUTCMonth() + 1)}-${shifted.getUTCFullYear()} ${pad(shifted.getUTCHours())}:${pad(shifted.getUTCMinutes())} (UTC-4)`;
}

export function formatNumber(n: number | null | undefined, decimals = 2): string {
  if (n == null || !Number.isFinite(n)) return "—";
  let f = numberFormats.get(decimals);
  if (!f) {
    f = new Intl.NumberFormat("es-CL", { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
    numberFormats.set(decimals, f);
  }
  return f.format(n);
}

/** "hace 5 min" style age, given the reference time. */
export function formatAge(from: Date | string, now: Date): string {
  const s = Math.max(0, Math.round((now.getTime() - new Date(from).getTime()) / 1000));
  if (s < 60) return `hace ${s} s`;
  if (s < 3600) return `hace ${Math.round(s / 60)} min`;
  if (s < 86400) return `hace ${Math.round(s / 3600)} h`;
  return `hace ${Math.round(s / 86400)} d`;
}

function offsetMs(d: Date, timeZone: string): number {
  const p = parts(d, timeZone);
  const asUtc = Date.UTC(+p.y, +p.m - 1, +p.d, +p.h === 24 ? 0 : +p.h, +p.mi, +p.s);
  return asUtc - Math.floor(d.getTime() / 1000) * 1000;
}

/**
 * A wall-clock time in `timeZone` ("2026-12-03T23:59" or "2026-12-03T23:59:59", as a datetime-local or
 * date input gives it) as an instant, whatever the browser's own zone; summer time included.
 */
export function zonedTimeToDate(local: string, timeZone = DISPLAY_TZ): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(local.trim());
  if (!m) return new Date(NaN);
  const wall = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0));
  let t = wall - offsetMs(new Date(wall), timeZone);
  // The offset at the first guess can differ from the one at the answer near a change of summer time.
  t = wall - offsetMs(new Date(t), timeZone);
  return new Date(t);
}

/** The instant's wall clock in `timeZone`, as milliseconds of a UTC date with the same fields (spreadsheet dates). */
export function wallClockMs(d: Date, timeZone = DISPLAY_TZ): number {
  return Math.floor(d.getTime() / 1000) * 1000 + offsetMs(d, timeZone);
}
