import { providerParsers, pushVerdict, type ParseContext, type PushVerdict } from "@/domain/providers";
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
  /** Well-formed but no reading (decode failed, simulated, join event…): acknowledged, kept raw with the reason. */
  | { kind: "ignored"; rawId: string; code: string; reason: string }
  /** Not JSON or not the provider's message shape: the only refusal (400). */
  | { kind: "rejected"; rawId: string; code: string; reason: string }
  | { kind: "duplicate"; rawId: string | null };

function validate(input: AcceptInput): PushVerdict {
  let json: unknown;
  try {
    json = JSON.parse(input.body) as unknown;
  } catch (e) {
    return {
      kind: "unparseable",
      code: "not_json",
      reason: `body is not valid JSON: ${e instanceof Error ? e.message : String(e)}`,
    };
  }
  const parse = providerParsers(input.provider).parsePush;
  if (!parse)
    return {
      kind: "unparseable",
      code: "push_unsupported",
      reason: `${input.provider} does not accept pushed payloads`,
    };
  return pushVerdict(parse(json, input.parseContext));
}

/**
 * Push and MQTT ingest: validate with the domain parser (to answer with a reason), store the raw
 * payload whatever the verdict (ignored and rejected ones are kept for inspection, never processed),
 * and enqueue accepted ones. An identical body from the same account within the dedupe TTL is a
 * retry: answered as a duplicate, not stored or processed again.
 */
export async function acceptPayload(input: AcceptInput): Promise<AcceptOutcome> {
  const scope = `a${input.accountId}`;
  const hash = bodyHash(input.body);
  const seen = await claimBody(scope, hash);
  const count = (status: string) =>
    metrics.ingestPayloads.inc({ provider: input.provider, transport: input.transport, status });
  if (seen !== null) {
    count("duplicate");
    return { kind: "duplicate", rawId: seen === "pending" ? null : seen };
  }
  const v = validate(input);
  const headers = {
    ...input.headers,
    ...(input.parseContext.deviceRef ? { [RAW_META.deviceRef]: input.parseContext.deviceRef } : {}),
  };
  const ok = v.kind === "accepted";
  let rawId: string;
  try {
    rawId = await storeAndEnqueue({
      provider: input.provider,
      accountId: input.accountId,
      bindingId: null,
      transport: input.transport,
      headers,
      body: input.body,
      status: ok ? "accepted" : "rejected",
      error: ok ? (v.notes.length ? v.notes.join("; ") : null) : v.reason,
      reasonCode: ok ? null : v.code,
    });
  } catch (e) {
    await releaseBody(scope, hash);
    throw e;
  }
  await confirmBody(scope, hash, rawId, providersConfig().push.dedupeTtlSec);
  if (v.kind === "accepted") {
    count("accepted");
    metrics.ingestReadings.inc({ provider: input.provider }, v.readings);
    return { kind: "accepted", rawId, readings: v.readings, rejected: v.notes };
  }
  count(v.kind === "ignored" ? "ignored" : "rejected");
  metrics.ingestRejected.inc({ provider: input.provider, account: String(input.accountId), reason: v.code });
  getLogger().warn(
    {
      provider: input.provider,
      accountId: input.accountId,
      transport: input.transport,
      rawId,
      code: v.code,
      reason: v.reason,
    },
    "payload without readings (kept raw)",
  );
  return { kind: v.kind === "ignored" ? "ignored" : "rejected", rawId, code: v.code, reason: v.reason };
}
