import { z } from "zod";
import type { RawReading } from "@/domain/measurements/types";
import type { ParseResult, RejectCode, Rejection } from "./types";
import {
  describeType,
  isStatusText,
  joinUrl,
  maybeJson,
  parseTimestamp,
  parseUtcInstant,
  toFiniteNumber,
} from "./shared";

const IdsSchema = z.looseObject({
  device_id: z.string().min(1),
  application_ids: z.looseObject({ application_id: z.string().min(1) }),
  dev_eui: z.string().optional(),
});

/** ApplicationUp as sent by webhooks, MQTT and Storage. Zero values (f_cnt 0, f_port 0) are omitted by TTS. */
const TtsApplicationUpSchema = z.looseObject({
  end_device_ids: IdsSchema,
  correlation_ids: z.array(z.string()).optional(),
  received_at: z.string(),
  simulated: z.boolean().optional(),
  uplink_message: z
    .looseObject({
      session_key_id: z.string().optional(),
      f_port: z.number().int().optional(),
      f_cnt: z.number().int().optional(),
      frm_payload: z.string().optional(),
      decoded_payload: z.record(z.string(), z.unknown()).optional(),
      received_at: z.string().optional(),
    })
    .optional(),
});
export type TtsApplicationUp = z.infer<typeof TtsApplicationUpSchema>;

export interface TtsParseOptions {
  /** decoded_payload key (dotted for nested) holding the device's own measurement time. */
  deviceTimeKey?: string;
  deviceTimeUnit?: "auto" | "s" | "ms" | "iso";
  /** Only emit these keys; a listed key that is missing or non-numeric becomes a rejection. */
  keys?: readonly string[];
}

export const ttsDeviceRef = (applicationId: string, deviceId: string): string => `${applicationId}/${deviceId}`;

/** Idempotency id: the `as:up:` correlation id, else (dev_eui, session, f_cnt) (§2A.7). */
export function ttsUplinkId(up: TtsApplicationUp): string {
  const asUp = up.correlation_ids?.find((c) => c.startsWith("as:up:"));
  if (asUp) return asUp;
  const m = up.uplink_message;
  return `${up.end_device_ids.dev_eui ?? up.end_device_ids.device_id}:${m?.session_key_id ?? "-"}:${m?.f_cnt ?? 0}`;
}

function flatten(obj: Record<string, unknown>, prefix = "", out = new Map<string, unknown>()): Map<string, unknown> {
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === "object" && v !== null && !Array.isArray(v)) flatten(v as Record<string, unknown>, key, out);
    else out.set(key, v);
  }
  return out;
}

/** One ApplicationUp (webhook body or Storage result) → one reading per numeric/boolean decoded_payload leaf. Never throws. */
export function parseTtsUplink(body: unknown, opts: TtsParseOptions = {}, index = 0): ParseResult {
  const parsed = TtsApplicationUpSchema.safeParse(maybeJson(body));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const reason = `not an ApplicationUp: ${issue ? `${issue.path.join(".") || "body"}: ${issue.message}` : "invalid"}`;
    return { readings: [], rejected: [{ index, reason, code: "invalid_envelope" }] };
  }
  const up = parsed.data;
  const reject = (reason: string, code: RejectCode): ParseResult => ({
    readings: [],
    rejected: [{ index, reason, code }],
  });
  if (up.simulated) return reject("simulated uplink (Console), dropped", "simulated");
  if (!up.uplink_message) return reject("not an uplink_message", "not_uplink");
  const receivedAt = parseUtcInstant(up.received_at);
  if (!receivedAt)
    return reject(`received_at ${JSON.stringify(up.received_at)} is not an RFC 3339 instant`, "invalid_envelope");
  const payload = up.uplink_message.decoded_payload;
  if (!payload) return reject("no decoded_payload (payload formatter missing or failed)", "decode_failed");

  const leaves = flatten(payload);
  const deviceTime =
    opts.deviceTimeKey === undefined
      ? null
      : parseTimestamp(leaves.get(opts.deviceTimeKey), opts.deviceTimeUnit ?? "auto");
  const measuredAt = deviceTime ?? receivedAt;
  const deviceRef = ttsDeviceRef(up.end_device_ids.application_ids.application_id, up.end_device_ids.device_id);
  const sourceId = ttsUplinkId(up);
  const wanted = opts.keys ? new Set(opts.keys) : null;
  const readings: RawReading[] = [];
  const rejected: Rejection[] = [];
  for (const [key, value] of leaves) {
    if (key === opts.deviceTimeKey || (wanted && !wanted.has(key))) continue;
    const usable = typeof value === "boolean" || toFiniteNumber(value) !== null || isStatusText(value);
    if (!usable) {
      if (wanted) rejected.push({ index, reason: `${key}: ${JSON.stringify(value) ?? "undefined"} is not numeric` });
      continue;
    }
    readings.push({ deviceRef, key, measuredAt, rawValue: value as number | string | boolean, sourceId, receivedAt });
  }
  for (const key of wanted ?? [])
    if (!leaves.has(key)) rejected.push({ index, reason: `${key}: missing from decoded_payload` });
  return { readings, rejected };
}

interface TtsStreamError {
  code: number | null;
  message: string;
}

export interface TtsStreamResult extends ParseResult {
  /** Messages seen in the stream (each `{"result": …}`), including rejected ones: what `limit` counts. */
  messages: number;
  /** Top-level received_at of the last message, verbatim (nanoseconds kept) for `after=`. */
  lastReceivedAt: string | null;
  /** Ids of messages sharing `lastReceivedAt`: pass them as `excludeIds` for the next page. */
  boundaryIds: string[];
  /** A grpc-gateway `{"error": …}` object ended the stream early: the page is incomplete. */
  streamError: TtsStreamError | null;
}

/** Splits NDJSON or text/event-stream text into JSON documents, tolerating `data:` prefixes. */
function streamDocuments(text: string): string[] {
  const docs: string[] = [];
  for (const block of text.split(/\r?\n[ \t]*\r?\n/)) {
    const lines = block
      .split(/\r?\n/)
      .filter((l) => l.trim() !== "" && !/^(event|id|retry):/.test(l) && !l.startsWith(":"))
      .map((l) => l.replace(/^data: ?/, ""));
    if (lines.length === 0) continue;
    const joined = lines.join("\n");
    if (lines.length > 1 && !isJson(joined)) docs.push(...lines);
    else docs.push(joined);
  }
  return docs;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** Storage Integration response (NDJSON or SSE) → readings. Never throws; a mid-stream error is flagged. */
export function parseTtsStorageStream(
  text: string,
  opts: TtsParseOptions & { excludeIds?: Iterable<string> } = {},
): TtsStreamResult {
  const exclude = new Set(opts.excludeIds ?? []);
  const out: TtsStreamResult = {
    readings: [],
    rejected: [],
    messages: 0,
    lastReceivedAt: null,
    boundaryIds: [],
    streamError: null,
  };
  const docs = streamDocuments(text);
  for (const [index, doc] of docs.entries()) {
    let value: unknown;
    try {
      value = JSON.parse(doc);
    } catch {
      out.rejected.push({ index, reason: `line is not JSON: ${doc.slice(0, 60)}` });
      continue;
    }
    if (typeof value !== "object" || value === null) {
      out.rejected.push({ index, reason: `expected {"result": …}, got ${describeType(value)}` });
      continue;
    }
    if ("error" in value) {
      out.streamError = readStreamError((value as { error: unknown }).error);
      break;
    }
    if (!("result" in value)) {
      out.rejected.push({ index, reason: 'object without "result"' });
      continue;
    }
    out.messages++;
    const result = (value as { result: unknown }).result;
    const up = TtsApplicationUpSchema.safeParse(result);
    if (up.success) {
      const id = ttsUplinkId(up.data);
      if (up.data.received_at === out.lastReceivedAt) out.boundaryIds.push(id);
      else {
        out.lastReceivedAt = up.data.received_at;
        out.boundaryIds = [id];
      }
      if (exclude.has(id)) continue;
    }
    const one = parseTtsUplink(result, opts, index);
    out.readings.push(...one.readings);
    out.rejected.push(...one.rejected);
  }
  return out;
}

function readStreamError(error: unknown): TtsStreamError {
  const e = (typeof error === "object" && error !== null ? error : {}) as {
    code?: unknown;
    grpc_code?: unknown;
    message?: unknown;
  };
  const code = typeof e.code === "number" ? e.code : typeof e.grpc_code === "number" ? e.grpc_code : null;
  return {
    code,
    message: typeof e.message === "string" ? e.message : (JSON.stringify(error) ?? "unknown stream error"),
  };
}

export type TtsNextPage = { done: true; stalled?: boolean } | { done: false; after: string; excludeIds: string[] };

/**
 * Time paging (§2A.4): order=received_at, after=<last received_at>. A short page ends the walk.
 * A full page that does not move `after` forward cannot make progress with this scheme.
 */
export function ttsNextPage(limit: number, page: TtsStreamResult, previousAfter?: string): TtsNextPage {
  if (page.messages < limit || page.lastReceivedAt === null) return { done: true };
  if (page.lastReceivedAt === previousAfter) return { done: true, stalled: true };
  return { done: false, after: page.lastReceivedAt, excludeIds: page.boundaryIds };
}

export interface TtsStorageQuery {
  limit: number;
  after?: string | Date;
  before?: string | Date;
  order?: "received_at" | "-received_at";
  fPort?: number;
  fieldMask?: readonly string[];
}

/** Storage Integration URL; `deviceId` null = whole application. `baseUrl` ends in /api/v3. */
export function ttsStorageUrl(
  baseUrl: string,
  applicationId: string,
  deviceId: string | null,
  q: TtsStorageQuery,
): string {
  const app = `as/applications/${encodeURIComponent(applicationId)}`;
  const dev = deviceId === null ? "" : `/devices/${encodeURIComponent(deviceId)}`;
  const url = new URL(joinUrl(baseUrl, `${app}${dev}/packages/storage/uplink_message`));
  url.searchParams.set("limit", String(q.limit));
  const iso = (d: string | Date) => (typeof d === "string" ? d : d.toISOString());
  if (q.after !== undefined) url.searchParams.set("after", iso(q.after));
  if (q.before !== undefined) url.searchParams.set("before", iso(q.before));
  url.searchParams.set("order", q.order ?? "received_at");
  if (q.fPort !== undefined) url.searchParams.set("f_port", String(q.fPort));
  if (q.fieldMask?.length) url.searchParams.set("field_mask", q.fieldMask.join(","));
  return url.toString();
}

export interface TtsErrorBody {
  code: number | null;
  name: string | null;
  message: string | null;
}

/** gRPC-style error body `{code, message, details[{name, …}]}` → its parts; null parts when absent. */
export function parseTtsErrorBody(body: unknown): TtsErrorBody {
  const root = maybeJson(body);
  if (typeof root !== "object" || root === null)
    return { code: null, name: null, message: typeof root === "string" && root ? root : null };
  const r = root as { code?: unknown; message?: unknown; details?: unknown };
  const first = Array.isArray(r.details) ? (r.details[0] as { name?: unknown } | undefined) : undefined;
  return {
    code: typeof r.code === "number" ? r.code : null,
    name: typeof first?.name === "string" ? first.name : null,
    message: typeof r.message === "string" ? r.message : null,
  };
}
