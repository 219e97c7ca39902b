import { providerParsers, type ParseContext } from "@/domain/providers";
import type { ProviderKind } from "@/domain/providers/types";
import { getLogger } from "@/server/logger";
import { metrics } from "@/server/metrics/registry";
import { providersConfig } from "@/server/integrations/providers/config";
import { bodyHash, claimBody, confirmBody, releaseBody } from "./dedupe";
import { storeAndEnqueue } from "./group-commit";
import { RAW_META } from "./raw-store";

export interface AcceptInput {
  provider: ProviderKind;
  accountId: number;
  transport: "push" | "mqtt";
  body: string;
  /** Non-secret context kept with the payload (content type, topic, retry counter…). */
  headers: Record<string, string>;
  parseContext: ParseContext;
}

export type AcceptOutcome =
  | { kind: "accepted"; rawId: string; readings: number; rejected: string[] }
  | { kind: "rejected"; rawId: string; reason: string; malformedJson: boolean }
  | { kind: "duplicate"; rawId: string | null };

function validate(input: AcceptInput): { ok: true; readings: number; rejected: string[] } | { ok: false; reason: string; malformedJson: boolean } {
  let json: unknown;
  try {
    json = JSON.parse(input.body) as unknown;
  } catch (e) {
    return { ok: false, malformedJson: true, reason: `body is not valid JSON: ${e instanceof Error ? e.message : String(e)}` };
  }
  const parse = providerParsers(input.provider).parsePush;
  if (!parse) return { ok: false, malformedJson: false, reason: `${input.provider} does not accept pushed payloads` };
  const r = parse(json, input.parseContext);
  const rejected = r.rejected.slice(0, 5).map((x) => `#${x.index}: ${x.reason}`);
  if (r.readings.length === 0) return { ok: false, malformedJson: false, reason: rejected.length ? `no usable readings: ${rejected.join("; ")}` : "no readings in payload" };
  return { ok: true, readings: r.readings.length, rejected };
}

/**
 * Push and MQTT ingest: validate with the domain parser (to answer with a reason), store the raw
 * payload whatever the verdict (rejected ones are kept for inspection, never processed), and
 * enqueue accepted ones. An identical body from the same account within the dedupe TTL is a
 * retry: answered as a duplicate, not stored or processed again.
 */
export async function acceptPayload(input: AcceptInput): Promise<AcceptOutcome> {
  const scope = `a${input.accountId}`;
  const hash = bodyHash(input.body);
  const seen = await claimBody(scope, hash);
  const count = (status: string) => metrics.ingestPayloads.inc({ provider: input.provider, transport: input.transport, status });
  if (seen !== null) {
    count("duplicate");
    return { kind: "duplicate", rawId: seen === "pending" ? null : seen };
  }
  const v = validate(input);
  const headers = { ...input.headers, ...(input.parseContext.deviceRef ? { [RAW_META.deviceRef]: input.parseContext.deviceRef } : {}) };
  let rawId: string;
  try {
    rawId = await storeAndEnqueue({
      provider: input.provider, accountId: input.accountId, bindingId: null, transport: input.transport, headers, body: input.body,
      status: v.ok ? "accepted" : "rejected", error: v.ok ? (v.rejected.length ? v.rejected.join("; ") : null) : v.reason,
    });
  } catch (e) {
    await releaseBody(scope, hash);
    throw e;
  }
  await confirmBody(scope, hash, rawId, providersConfig().push.dedupeTtlSec);
  count(v.ok ? "accepted" : "rejected");
  if (v.ok) metrics.ingestReadings.inc({ provider: input.provider }, v.readings);
  if (!v.ok) {
    getLogger().warn({ provider: input.provider, accountId: input.accountId, transport: input.transport, rawId, reason: v.reason }, "payload rejected (kept raw)");
    return { kind: "rejected", rawId, reason: v.reason, malformedJson: v.malformedJson };
  }
  return { kind: "accepted", rawId, readings: v.readings, rejected: v.rejected };
}
