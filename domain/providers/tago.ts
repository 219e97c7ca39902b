import { z } from "zod";
import type { RawReading } from "@/domain/measurements/types";
import type { ParseResult, Rejection } from "./types";
import {
  describeType,
  isStatusText,
  joinUrl,
  malformedResponse,
  maybeJson,
  parseUtcInstant,
  toFiniteNumber,
} from "./shared";

export const TAGO_DEFAULT_QTY = 15;
export const TAGO_MAX_QTY = 10_000;

/** One record in the Tago data format (GET /data result item and HTTP-POST action body item). */
const TagoRecordSchema = z.looseObject({
  id: z.string().min(1).optional(),
  device: z.string().min(1).optional(),
  origin: z.string().min(1).optional(),
  variable: z.string().min(1),
  value: z.union([z.number(), z.string(), z.boolean()], { error: "value must be a number, string or boolean" }),
  unit: z.string().optional(),
  group: z.string().optional(),
  serie: z.string().optional(),
  time: z.string({ error: "time is required" }),
  created_at: z.string().optional(),
});
export type TagoRecord = z.infer<typeof TagoRecordSchema>;

/**
 * Records → readings with one rejection per bad item. `fallbackDeviceRef` is used when a record
 * carries neither `device` nor the deprecated `origin` (Device-Token reads may omit them).
 */
function parseTagoRecords(items: readonly unknown[], fallbackDeviceRef?: string): ParseResult {
  const readings: RawReading[] = [];
  const rejected: Rejection[] = [];
  for (const [index, item] of items.entries()) {
    const parsed = TagoRecordSchema.safeParse(item);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      rejected.push({
        index,
        reason: issue ? `${issue.path.join(".") || "record"}: ${issue.message}` : "invalid record",
      });
      continue;
    }
    const r = parsed.data;
    const deviceRef = r.device ?? r.origin ?? fallbackDeviceRef;
    if (!deviceRef) {
      rejected.push({ index, reason: `${r.variable}: record has no device` });
      continue;
    }
    const measuredAt = parseUtcInstant(r.time);
    if (!measuredAt) {
      rejected.push({ index, reason: `${r.variable}: time ${JSON.stringify(r.time)} is not a zoned ISO instant` });
      continue;
    }
    if (typeof r.value === "string" && toFiniteNumber(r.value) === null && !isStatusText(r.value)) {
      rejected.push({ index, reason: `${r.variable}: string value ${JSON.stringify(r.value)} is not numeric` });
      continue;
    }
    if (typeof r.value === "number" && !Number.isFinite(r.value)) {
      rejected.push({ index, reason: `${r.variable}: value is not finite` });
      continue;
    }
    readings.push({
      deviceRef,
      key: r.variable,
      measuredAt,
      rawValue: r.value,
      rawUnit: r.unit ?? null,
      sourceId: r.id ?? null,
      receivedAt: r.created_at ? parseUtcInstant(r.created_at) : null,
    });
  }
  return { readings, rejected };
}

export interface TagoPageResult extends ParseResult {
  /** Raw records in the page (rejected included): what `qty` counts. */
  count: number;
}

/** GET /data envelope `{status, result[]}`; `status:false` or a non-array result throws. */
export function parseTagoDataResponse(body: unknown, fallbackDeviceRef?: string): TagoPageResult {
  const root = maybeJson(body);
  if (typeof root !== "object" || root === null) throw malformedResponse("tago", `body is ${describeType(root)}`);
  const env = root as { status?: unknown; result?: unknown; message?: unknown };
  if (env.status !== true)
    throw malformedResponse(
      "tago",
      `status ${String(env.status)}: ${typeof env.message === "string" ? env.message : "no message"}`,
    );
  if (!Array.isArray(env.result))
    throw malformedResponse(
      "tago",
      `result is ${describeType(env.result)}, expected an array (aggregate queries are not readings)`,
    );
  return { ...parseTagoRecords(env.result as unknown[], fallbackDeviceRef), count: env.result.length };
}

/** HTTP-POST action body: an array of records (a single object is tolerated). Never throws. */
export function parseTagoActionBody(body: unknown): ParseResult {
  const root = maybeJson(body);
  if (Array.isArray(root)) return parseTagoRecords(root as unknown[]);
  if (typeof root === "object" && root !== null) return parseTagoRecords([root]);
  return {
    readings: [],
    rejected: [
      {
        index: 0,
        reason: `body is ${describeType(root)}, expected an array of Tago records`,
        code: "invalid_envelope",
      },
    ],
  };
}

/** "Too many requests (Retry-After: N)" → N seconds in ms, or null. */
export function parseTagoRetryAfter(message: unknown): number | null {
  if (typeof message !== "string") return null;
  const m = /retry-after:\s*(\d+(?:\.\d+)?)/i.exec(message);
  return m ? Math.round(Number(m[1]) * 1000) : null;
}

export interface TagoDataQuery {
  variables: readonly string[];
  query?: "last_item" | "last_value" | "first_item" | "first_value";
  qty?: number;
  skip?: number;
  ordination?: "ascending" | "descending";
  startDate?: Date;
  endDate?: Date;
}

/** GET /data URL. Dates always go out as full ISO with `Z` (§1.2: zone-less dates are guessed by Tago). */
export function tagoDataUrl(baseUrl: string, q: TagoDataQuery): string {
  const url = new URL(joinUrl(baseUrl, "data"));
  if (q.variables.length === 1) url.searchParams.set("variable", q.variables[0] ?? "");
  else for (const v of q.variables) url.searchParams.append("variable[]", v);
  if (q.query) url.searchParams.set("query", q.query);
  if (q.qty !== undefined) url.searchParams.set("qty", String(Math.min(q.qty, TAGO_MAX_QTY)));
  if (q.skip !== undefined) url.searchParams.set("skip", String(q.skip));
  if (q.ordination) url.searchParams.set("ordination", q.ordination);
  if (q.startDate) url.searchParams.set("start_date", q.startDate.toISOString());
  if (q.endDate) url.searchParams.set("end_date", q.endDate.toISOString());
  return url.toString();
}

export type TagoNextPage = { done: true } | { done: false; skip: number };

/** qty/skip paging over a fixed window with ordination=ascending (§3.6). */
export function tagoNextPage(qty: number, skip: number, page: { count: number }): TagoNextPage {
  return page.count < qty ? { done: true } : { done: false, skip: skip + page.count };
}
