import { z } from "zod";
import type { RawReading } from "@/domain/measurements/types";
import type { ParseResult, Rejection } from "./types";
import {
  describeType,
  isStatusText,
  joinUrl,
  latestPerKey,
  malformedResponse,
  maybeJson,
  toFiniteNumber,
} from "./shared";

/** Legacy behaviour (§4.2): refresh 60 s before the JWT `exp`, or after 55 min when `exp` is unreadable. */
const TDATA_TOKEN_SKEW_MS = 60_000;
const TDATA_FALLBACK_TTL_MS = 55 * 60_000;

export interface TdataSession {
  token: string;
  refreshToken: string | null;
  /** When to stop using the token (JWT exp − 60 s, or now + 55 min). */
  expiresAt: Date;
  expirySource: "jwt" | "fallback";
}

const LoginSchema = z.looseObject({ token: z.string().min(1), refreshToken: z.string().optional() });

export function parseTdataLogin(body: unknown, now: Date): TdataSession {
  const parsed = LoginSchema.safeParse(maybeJson(body));
  if (!parsed.success) throw malformedResponse("tdata", "login response has no token", parsed.error.issues);
  const exp = decodeJwtExp(parsed.data.token);
  const fromJwt = exp === null ? null : exp * 1000 - TDATA_TOKEN_SKEW_MS;
  const useJwt = fromJwt !== null && fromJwt > now.getTime();
  return {
    token: parsed.data.token,
    refreshToken: parsed.data.refreshToken ?? null,
    expiresAt: new Date(useJwt ? fromJwt : now.getTime() + TDATA_FALLBACK_TTL_MS),
    expirySource: useJwt ? "jwt" : "fallback",
  };
}

/** `exp` (epoch seconds) from a JWT payload, without verifying it: we are the client, not the issuer. */
export function decodeJwtExp(token: string): number | null {
  const payload = token.split(".")[1];
  if (!payload) return null;
  try {
    const b64 = payload
      .replace(/-/g, "+")
      .replace(/_/g, "/")
      .padEnd(Math.ceil(payload.length / 4) * 4, "=");
    const claims: unknown = JSON.parse(atob(b64));
    if (typeof claims !== "object" || claims === null) return null;
    const exp = (claims as { exp?: unknown }).exp;
    return typeof exp === "number" && Number.isFinite(exp) ? exp : null;
  } catch {
    return null;
  }
}

/** Per-key page facts, counted on raw items (rejected ones included) so paging never stops early. */
export interface TdataKeyPage {
  count: number;
  firstTs: number | null;
  lastTs: number | null;
  minTs: number | null;
  maxTs: number | null;
}

export interface TdataParseResult extends ParseResult {
  pages: Record<string, TdataKeyPage>;
}

/** `{"5001": [{ts, value}], …}` → readings (ts epoch ms UTC; value string or number; NaN rejected). */
export function parseTdataTimeseries(body: unknown, deviceRef: string): TdataParseResult {
  const root = maybeJson(body);
  if (typeof root !== "object" || root === null || Array.isArray(root)) {
    throw malformedResponse("tdata", `timeseries body is ${describeType(root)}, expected an object of keys`);
  }
  const readings: RawReading[] = [];
  const rejected: Rejection[] = [];
  const pages: Record<string, TdataKeyPage> = {};
  let index = 0;
  for (const [key, items] of Object.entries(root)) {
    const page: TdataKeyPage = { count: 0, firstTs: null, lastTs: null, minTs: null, maxTs: null };
    pages[key] = page;
    if (items === null || items === undefined) continue;
    if (!Array.isArray(items)) {
      rejected.push({ index: index++, reason: `key ${key}: expected an array, got ${describeType(items)}` });
      continue;
    }
    for (const item of items as unknown[]) {
      const at = index++;
      page.count++;
      const ts = typeof item === "object" && item !== null ? (item as { ts?: unknown }).ts : undefined;
      if (typeof ts !== "number" || !Number.isSafeInteger(ts)) {
        rejected.push({ index: at, reason: `key ${key}: ts must be integer epoch ms, got ${describeType(ts)}` });
        continue;
      }
      page.firstTs ??= ts;
      page.lastTs = ts;
      page.minTs = page.minTs === null ? ts : Math.min(page.minTs, ts);
      page.maxTs = page.maxTs === null ? ts : Math.max(page.maxTs, ts);
      const value = (item as { value?: unknown }).value;
      // A non-numeric text ("ERR") is a logger status: kept as a reading, the normalizer flags it error_code.
      if (toFiniteNumber(value) === null && !isStatusText(value)) {
        rejected.push({
          index: at,
          reason: `key ${key} ts ${ts}: value ${JSON.stringify(value) ?? "undefined"} is not a finite number`,
        });
        continue;
      }
      readings.push({
        deviceRef,
        key,
        measuredAt: new Date(ts),
        rawValue: value as string | number,
        sourceId: `${deviceRef}:${key}:${ts}`,
      });
    }
  }
  readings.sort((a, b) => a.measuredAt.getTime() - b.measuredAt.getTime() || a.key.localeCompare(b.key));
  return { readings, rejected, pages };
}

export type TdataNextPage = { done: true } | { done: false; startTs: number } | { done: false; endTs: number };

/**
 * Legacy paging (§4.3): a full page means there may be more. Ascending pages continue at
 * max ts + 1. If the server ignored `asc` and answered newest-first, continue below the oldest
 * ts instead, so nothing between the two is skipped.
 */
export function tdataNextPage(limit: number, page: TdataKeyPage | undefined): TdataNextPage {
  if (!page || page.count < limit || page.maxTs === null || page.minTs === null) return { done: true };
  const descending = page.firstTs !== null && page.lastTs !== null && page.firstTs > page.lastTs;
  return descending ? { done: false, endTs: page.minTs - 1 } : { done: false, startTs: page.maxTs + 1 };
}

/** Latest per key by max ts, never by array position (§4.5). */
export const tdataLatest = latestPerKey;

export function tdataLoginUrl(baseUrl: string): string {
  return joinUrl(baseUrl, "login");
}

export interface TdataTimeseriesQuery {
  keys: readonly string[];
  /** Omit both for "latest value per key". */
  startTs?: number;
  endTs?: number;
  limit?: number;
  asc?: boolean;
}

export function tdataTimeseriesUrl(baseUrl: string, deviceId: string, q: TdataTimeseriesQuery): string {
  const url = new URL(joinUrl(baseUrl, `telemetry/DEVICE/${encodeURIComponent(deviceId)}/values/timeseries`));
  url.searchParams.set("keys", q.keys.join(","));
  if (q.startTs !== undefined) url.searchParams.set("startTs", String(q.startTs));
  if (q.endTs !== undefined) url.searchParams.set("endTs", String(q.endTs));
  if (q.limit !== undefined) url.searchParams.set("limit", String(q.limit));
  if (q.asc !== undefined) url.searchParams.set("asc", String(q.asc));
  return url.toString();
}
