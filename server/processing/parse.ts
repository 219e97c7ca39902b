import { AppError } from "@/domain/errors";
import type { RawReading } from "@/domain/measurements/types";
import {
  PROVIDER_KINDS,
  providerParsers,
  type ParseContext,
  type ProviderKind,
  type RejectCode,
} from "@/domain/providers";
import type { StoredRow } from "@/server/timeseries/types";
import { RAW_META, type RawPayloadRow as RawRow } from "@/server/ingest/raw-store";
import type { AccountInfo, BindingCache, BindingInfo } from "./bindings";
import { readingsToRows } from "./rows";
import { fastTagoPull, fastTagoRecords } from "./tago-fast";

/** Readings stamped later than now + this are flagged `future` by normalisation. */
const FUTURE_TOLERANCE_MS = 5 * 60_000;

export { loadRawPayloads as loadRaws } from "@/server/ingest/raw-store";

export type RawOutcome =
  | { kind: "rows"; rows: StoredRow[]; bindings: BindingInfo[]; note: string | null }
  | { kind: "rejected"; reason: string; code?: RejectCode };

const isKind = (p: string): p is ProviderKind => (PROVIDER_KINDS as readonly string[]).includes(p);
const errText = (e: unknown): string => (e instanceof Error ? e.message : String(e)).slice(0, 500);

function parseBody(
  raw: RawRow,
  account: AccountInfo,
  binding: BindingInfo | null,
): RawReading[] | { error: string; partial: string | null; readings: RawReading[] } {
  if (!isKind(raw.provider)) return { error: `unknown provider ${raw.provider}`, partial: null, readings: [] };
  if (raw.provider === "custom" && account.customError)
    return { error: `custom mapping: ${account.customError}`, partial: null, readings: [] };
  const parsers = providerParsers(raw.provider);
  const headers = raw.headers ?? {};
  const ctx: ParseContext = {
    deviceRef: binding?.deviceRef ?? headers[RAW_META.deviceRef] ?? "",
    key: headers[RAW_META.key],
    tts: account.tts,
    custom: account.custom,
  };
  const isPush = raw.transport === "push" || raw.transport === "mqtt";
  const parse = isPush ? parsers.parsePush : parsers.parsePull;
  if (!parse) return { error: `${raw.provider} does not accept pushed payloads`, partial: null, readings: [] };
  let body: unknown = raw.body;
  if (!(raw.provider === "tts" && !isPush)) {
    try {
      body = JSON.parse(raw.body) as unknown;
    } catch {
      return { error: "body is not valid JSON", partial: null, readings: [] };
    }
  }
  if (raw.provider === "tago") {
    const fast = isPush ? (Array.isArray(body) ? fastTagoRecords(body) : null) : fastTagoPull(body, ctx.deviceRef);
    if (fast) return fast;
  }
  const result = parse(body, ctx);
  const rej = result.rejected.length
    ? `${result.rejected.length} item(s) rejected: ${result.rejected
        .slice(0, 3)
        .map((r) => `#${r.index} ${r.reason}`)
        .join("; ")}`
    : null;
  if (result.readings.length === 0 && rej) return { error: rej, partial: null, readings: [] };
  return rej ? { error: "", partial: rej, readings: result.readings } : result.readings;
}

/**
 * One raw payload → canonical rows for every binding its device refs map to. Unusable payloads
 * (unknown provider, bad JSON, an envelope the parser refuses, nothing parseable) are rejected with the reason.
 */
export async function rawToRows(raw: RawRow, cache: BindingCache, now: Date): Promise<RawOutcome> {
  const accountId = raw.accountId ?? (raw.bindingId !== null ? await cache.accountOfBinding(raw.bindingId) : null);
  if (accountId === null) return { kind: "rejected", reason: "payload has neither account nor binding" };
  const account = await cache.account(accountId);
  if (!account) return { kind: "rejected", reason: `provider account ${accountId} not found` };
  const binding = raw.bindingId !== null ? (account.byId.get(raw.bindingId) ?? null) : null;
  if (raw.bindingId !== null && !binding)
    return { kind: "rejected", reason: `binding ${raw.bindingId} not found or inactive` };

  let parsed: ReturnType<typeof parseBody>;
  try {
    parsed = parseBody(raw, account, binding);
  } catch (e) {
    if (e instanceof AppError || e instanceof Error) return { kind: "rejected", reason: errText(e) };
    throw e;
  }
  let note: string | null = null;
  let readings: RawReading[];
  if (Array.isArray(parsed)) readings = parsed;
  else if (parsed.error) return { kind: "rejected", reason: parsed.error };
  else {
    readings = parsed.readings;
    note = parsed.partial;
  }

  const groups = new Map<BindingInfo, RawReading[]>();
  const unbound = new Set<string>();
  for (const r of readings) {
    const targets = binding ? [binding] : account.byDevice.get(r.deviceRef);
    if (!targets?.length) {
      unbound.add(r.deviceRef);
      continue;
    }
    for (const b of targets) {
      const g = groups.get(b);
      if (g) g.push(r);
      else groups.set(b, [r]);
    }
  }
  if (unbound.size) {
    const reason = `no active binding for device(s) ${[...unbound].slice(0, 5).join(", ")}`;
    // Nothing in it belongs to a bound device: kept raw and listed to operators as rejected, never an error to the sender.
    if (groups.size === 0) return { kind: "rejected", reason, code: "unknown_device" };
    note = [note, reason].filter(Boolean).join("; ");
  }

  const rows: StoredRow[] = [];
  const futureLimitMs = now.getTime() + FUTURE_TOLERANCE_MS;
  for (const [b, rs] of groups) {
    const invalid = readingsToRows(
      rs,
      b.mappings,
      b.setup,
      { pointId: b.pointId, source: raw.provider, rawId: raw.id, futureLimitMs },
      rows,
    );
    if (invalid) note = [note, `${invalid} reading(s) with invalid time`].filter(Boolean).join("; ");
  }
  return { kind: "rows", rows, bindings: [...groups.keys()], note };
}
