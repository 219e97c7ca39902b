import { AppError } from "@/domain/errors";
import type { RawReading } from "@/domain/measurements/types";
import type { HeadersLike, ProviderKind } from "./types";

const ISO_WITH_ZONE = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(Z|[+-]\d{2}:?\d{2})$/i;

/**
 * Parses an ISO 8601 / RFC 3339 instant that carries a zone (`Z` or ±hh:mm). Fractions beyond
 * milliseconds (TTS sends nanoseconds) are truncated. Zone-less strings return null: guessing a
 * zone is exactly the legacy bug (§1.2).
 */
export function parseUtcInstant(text: string): Date | null {
  const m = ISO_WITH_ZONE.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s = "00", frac = "", zone = "Z"] = m;
  const ms = frac.padEnd(3, "0").slice(0, 3);
  const normalizedZone =
    zone.toUpperCase() === "Z" ? "Z" : zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone;
  const date = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}.${ms}${normalizedZone}`);
  if (Number.isNaN(date.getTime())) return null;
  // Date() rolls 2025-02-30 over to March; reject instead.
  if (normalizedZone === "Z" && date.getUTCDate() !== Number(d)) return null;
  return date;
}

/** Epoch numbers below 1e11 are seconds (year ≤ 5138), larger ones milliseconds. */
function parseEpoch(value: number, unit: "auto" | "s" | "ms" = "auto"): Date | null {
  if (!Number.isFinite(value)) return null;
  const ms = unit === "ms" || (unit === "auto" && Math.abs(value) >= 1e11) ? value : value * 1000;
  const date = new Date(Math.round(ms));
  return Number.isNaN(date.getTime()) ? null : date;
}

/** Epoch (number or numeric string) or zoned ISO string → Date. */
export function parseTimestamp(value: unknown, unit: "auto" | "s" | "ms" | "iso" = "auto"): Date | null {
  if (typeof value === "number") return unit === "iso" ? null : parseEpoch(value, unit);
  if (typeof value !== "string") return null;
  if (unit !== "iso" && /^\s*-?\d+(\.\d+)?\s*$/.test(value)) return parseEpoch(Number(value), unit);
  return unit === "s" || unit === "ms" ? null : parseUtcInstant(value);
}

/** Strict numeric reading: finite numbers and numeric strings; "" / " " / null / booleans are not numbers. */
export function toFiniteNumber(value: unknown): number | null {
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (typeof value !== "string" || value.trim() === "") return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

/**
 * A non-empty, non-numeric text such as "ERR", "OVF" or "NaN": loggers write these instead of a value.
 * Kept as a reading (never dropped) so the history shows an error reading with its raw text.
 */
export function isStatusText(value: unknown): value is string {
  return typeof value === "string" && value.trim() !== "" && value.length <= 200 && toFiniteNumber(value) === null;
}

/** The newest reading per (deviceRef, key), by measuredAt: providers disagree on array order. */
export function latestPerKey(readings: readonly RawReading[]): RawReading[] {
  const best = new Map<string, RawReading>();
  for (const r of readings) {
    const id = `${r.deviceRef}\u0000${r.key}`;
    const prev = best.get(id);
    if (!prev || r.measuredAt.getTime() > prev.measuredAt.getTime()) best.set(id, r);
  }
  return [...best.values()];
}

export function getHeader(headers: HeadersLike | null | undefined, name: string): string | null {
  if (!headers) return null;
  if (typeof headers.get === "function") return (headers as { get(n: string): string | null }).get(name);
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(headers as Record<string, string | string[] | undefined>)) {
    if (k.toLowerCase() !== lower || v === undefined) continue;
    return Array.isArray(v) ? (v[0] ?? null) : v;
  }
  return null;
}

export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, "")}/${path.replace(/^\/+/, "")}`;
}

/** A pull response we cannot read. Retryable: the simulators' "malformed" fault and flaky proxies are transient in practice. */
export function malformedResponse(provider: ProviderKind, reason: string, details?: unknown): AppError {
  return new AppError("PROVIDER_UNAVAILABLE", `${provider}: malformed response: ${reason}`, { details });
}

/** A body that may still be a JSON string (raw HTTP text) → parsed value, or the string itself. */
export function maybeJson(body: unknown): unknown {
  if (typeof body !== "string") return body;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return body;
  }
}

export function describeType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}
