import type { RawReading } from "@/domain/measurements/types";

/*
 * Fast path for the bulk of Tago traffic: records whose fields all have the plain expected types, numeric
 * values and canonical `toISOString()` times. For those it yields exactly what
 * domain/providers/tago.ts#parseTagoRecords yields (tago-fast.test.ts checks it) without the per-record
 * zod parse and regex time parsing; anything else returns null and the caller uses the domain parser.
 */

const OPTIONAL_STRINGS = ["unit", "group", "serie"] as const;
const OPTIONAL_NONEMPTY = ["id", "device", "origin"] as const;

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null && !Array.isArray(x);

const DIGIT_AT = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18, 20, 21, 22];
const SEPARATORS: [number, number][] = [
  [4, 45],
  [7, 45],
  [10, 84],
  [13, 58],
  [16, 58],
  [19, 46],
  [23, 90],
]; // - - T : : . Z
const num = (s: string, from: number, to: number): number => {
  let n = 0;
  for (let i = from; i < to; i++) n = n * 10 + s.charCodeAt(i) - 48;
  return n;
};
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const daysIn = (y: number, m: number): number =>
  m === 2 && y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : MONTH_DAYS[m - 1]!;

/** ms of a canonical `YYYY-MM-DDTHH:MM:SS.sssZ` instant (what toISOString writes), or null for any other spelling. */
export function canonicalInstantMs(s: string): number | null {
  if (s.length !== 24) return null;
  for (const [i, c] of SEPARATORS) if (s.charCodeAt(i) !== c) return null;
  for (const i of DIGIT_AT) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return null;
  }
  const y = num(s, 0, 4);
  const mo = num(s, 5, 7);
  const d = num(s, 8, 10);
  const h = num(s, 11, 13);
  const mi = num(s, 14, 16);
  const sec = num(s, 17, 19);
  // Date.UTC maps years 0–99 to 1900–1999: leave those to the full parser.
  if (y < 100 || mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo) || h > 23 || mi > 59 || sec > 59) return null;
  return Date.UTC(y, mo - 1, d, h, mi, sec, num(s, 20, 23));
}

/** Readings of a Tago record array, or null when any record needs the full parser (then nothing is returned). */
export function fastTagoRecords(items: readonly unknown[], fallbackDeviceRef?: string): RawReading[] | null {
  const out: RawReading[] = [];
  for (const item of items) {
    if (!isObject(item)) return null;
    const { variable, value, time } = item;
    if (typeof variable !== "string" || variable.length === 0) return null;
    if (typeof value !== "number" || !Number.isFinite(value)) return null;
    if (typeof time !== "string") return null;
    for (const k of OPTIONAL_NONEMPTY)
      if (item[k] !== undefined && (typeof item[k] !== "string" || item[k] === "")) return null;
    for (const k of OPTIONAL_STRINGS) if (item[k] !== undefined && typeof item[k] !== "string") return null;
    if (item.created_at !== undefined) return null;
    const deviceRef = (item.device as string | undefined) ?? (item.origin as string | undefined) ?? fallbackDeviceRef;
    if (!deviceRef) return null;
    const ms = canonicalInstantMs(time);
    if (ms === null) return null;
    out.push({
      deviceRef,
      key: variable,
      measuredAt: new Date(ms),
      rawValue: value,
      rawUnit: (item.unit as string | undefined) ?? null,
      sourceId: (item.id as string | undefined) ?? null,
      receivedAt: null,
    });
  }
  return out;
}

/** GET /data envelope `{status: true, result: [...]}` on the fast path, or null to use the domain parser. */
export function fastTagoPull(body: unknown, fallbackDeviceRef?: string): RawReading[] | null {
  if (!isObject(body) || body.status !== true || !Array.isArray(body.result)) return null;
  return fastTagoRecords(body.result as unknown[], fallbackDeviceRef);
}
