import type { RawReading } from "@/domain/measurements/types";
import type { ParseResult, Rejection } from "./types";
import { describeType, joinUrl, malformedResponse, maybeJson, parseUtcInstant, toFiniteNumber } from "./shared";

export interface ThethingsioParseResult extends ParseResult {
  /** Raw items in the page (rejected included): what `limit` counts. */
  count: number;
  /** Oldest valid datetime in the page: the next page's endDate. */
  oldest: Date | null;
}

/**
 * `resources/{key}` response: an array newest first of `{value, datetime}` (§2B). The thing token
 * is the credential, so the caller passes a non-secret `deviceRef` instead.
 */
export function parseThethingsioResources(body: unknown, deviceRef: string, key: string): ThethingsioParseResult {
  const root = maybeJson(body);
  if (!Array.isArray(root))
    throw malformedResponse("thethingsio", `resources body is ${describeType(root)}, expected an array`);
  const readings: RawReading[] = [];
  const rejected: Rejection[] = [];
  let oldest: Date | null = null;
  for (const [index, item] of (root as unknown[]).entries()) {
    if (typeof item !== "object" || item === null) {
      rejected.push({ index, reason: `item is ${describeType(item)}, expected {value, datetime}` });
      continue;
    }
    const { value, datetime } = item as { value?: unknown; datetime?: unknown };
    const at = typeof datetime === "string" ? parseUtcInstant(datetime) : null;
    if (!at) {
      rejected.push({
        index,
        reason: `datetime ${JSON.stringify(datetime) ?? "undefined"} is not a zoned ISO instant`,
      });
      continue;
    }
    if (!oldest || at < oldest) oldest = at;
    if (toFiniteNumber(value) === null && typeof value !== "boolean") {
      rejected.push({
        index,
        reason: `value ${JSON.stringify(value) ?? "undefined"} at ${datetime as string} is not numeric`,
      });
      continue;
    }
    readings.push({
      deviceRef,
      key,
      measuredAt: at,
      rawValue: value as number | string | boolean,
      sourceId: `${deviceRef}:${key}:${at.toISOString()}`,
    });
  }
  return { readings, rejected, count: root.length, oldest };
}

/** thethings.iO query dates: `YYYYMMDDHHmmss` in UTC. */
export function formatThethingsioDate(d: Date): string {
  return d.toISOString().slice(0, 19).replace(/[-T:]/g, "");
}

export function parseThethingsioDate(text: string): Date | null {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(text);
  return m ? parseUtcInstant(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`) : null;
}

export interface ThethingsioQuery {
  limit: number;
  startDate?: Date;
  endDate?: Date;
}

/** The URL embeds the thing token (the credential): never log it. */
export function thethingsioResourceUrl(baseUrl: string, thingToken: string, key: string, q: ThethingsioQuery): string {
  const url = new URL(
    joinUrl(baseUrl, `things/${encodeURIComponent(thingToken)}/resources/${encodeURIComponent(key)}`),
  );
  url.searchParams.set("limit", String(q.limit));
  if (q.startDate) url.searchParams.set("startDate", formatThethingsioDate(q.startDate));
  if (q.endDate) url.searchParams.set("endDate", formatThethingsioDate(q.endDate));
  return url.toString();
}

export type ThethingsioNextPage = { done: true; stalled?: boolean } | { done: false; endDate: Date };

/**
 * SDK paging (§2B): move endDate to the oldest datetime of a full page. endDate has second
 * resolution and is inclusive, so the boundary second is read twice: dedupe on sourceId.
 */
export function thethingsioNextPage(
  limit: number,
  page: ThethingsioParseResult,
  previousEndDate?: Date,
): ThethingsioNextPage {
  if (page.count < limit || !page.oldest) return { done: true };
  const endDate = new Date(Math.floor(page.oldest.getTime() / 1000) * 1000);
  if (previousEndDate && endDate.getTime() >= Math.floor(previousEndDate.getTime() / 1000) * 1000)
    return { done: true, stalled: true };
  return { done: false, endDate };
}
