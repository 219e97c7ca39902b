/** Chilean display formats (es-CL): dd-mm-yyyy, decimal comma, America/Santiago unless told otherwise. */
const DISPLAY_TZ = "America/Santiago";

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
