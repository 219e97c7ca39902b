import { randomUUID } from "node:crypto";
import { env } from "@/server/env";
import { getLogger } from "@/server/logger";
import { AppError } from "@/domain/errors";
import { readBodyLimited } from "@/server/http/body";
import { acceptPayload } from "./accept";
import { presentedSecret, pushAccount, secretMatches } from "./push-auth";

export type PushKind = "tts" | "tago";

/** Request headers worth keeping with the payload; never the secret-bearing ones. */
const KEPT_HEADERS = ["content-type", "user-agent", "tagoio-retries", "x-tts-domain", "x-request-id"];

const reply = (status: number, body: unknown, requestId: string) =>
  new Response(JSON.stringify(body), {
    status,
    headers: {
      "content-type": "application/json; charset=utf-8",
      "cache-control": "no-store",
      "x-request-id": requestId,
    },
  });
const fail = (status: number, code: string, message: string, requestId: string, extra: Record<string, unknown> = {}) =>
  reply(status, { error: { code, message, requestId, ...extra } }, requestId);

/**
 * Webhook ingest for one provider account (TTS webhook: one ApplicationUp; Tago HTTP-POST
 * action: an array of records). Order: secret (401, nothing stored) → size (413) → store raw with its
 * verdict → enqueue → 202. Only a body that is not JSON or not the provider's message is 400; a
 * well-formed delivery without a reading (decode failed, simulated, join event) is 202 "ignored",
 * because the platforms disable webhooks that keep failing. Never processes inline.
 */
export async function handlePush(kind: PushKind, accountIdParam: string, req: Request): Promise<Response> {
  const requestId = req.headers.get("x-request-id") ?? randomUUID();
  const log = getLogger();
  const accountId = /^\d{1,9}$/.test(accountIdParam) ? Number(accountIdParam) : null;
  const account = accountId === null ? null : await pushAccount(accountId);
  // Unknown account, wrong kind, inactive and wrong secret all look the same from outside.
  if (
    !account ||
    account.kind !== kind ||
    !account.active ||
    !secretMatches(presentedSecret(req.headers, kind), account.pushSecretHash)
  ) {
    log.warn({ kind, accountId: accountIdParam, requestId }, "push rejected: missing or wrong secret");
    return fail(
      401,
      "UNAUTHENTICATED",
      "Missing or wrong push secret (X-Webhook-Secret: <secret> or Authorization: Bearer <secret>)",
      requestId,
    );
  }

  const max = env().INGEST_MAX_BYTES;
  let body: string;
  try {
    body = await readBodyLimited(req, max);
  } catch (e) {
    if (AppError.is(e, "PAYLOAD_TOO_LARGE"))
      return fail(413, "PAYLOAD_TOO_LARGE", `Body larger than ${max} bytes`, requestId);
    throw e;
  }

  const headers: Record<string, string> = {};
  for (const h of KEPT_HEADERS) {
    const v = req.headers.get(h);
    if (v) headers[h] = v.slice(0, 200);
  }
  const outcome = await acceptPayload({
    provider: kind,
    accountId: account.id,
    transport: "push",
    body,
    headers,
    parseContext: { deviceRef: "", tts: account.tts },
  });
  switch (outcome.kind) {
    case "duplicate":
      return reply(202, { status: "duplicate", rawId: outcome.rawId, requestId }, requestId);
    case "ignored":
      return reply(
        202,
        { status: "ignored", rawId: outcome.rawId, reason: outcome.code, message: outcome.reason, requestId },
        requestId,
      );
    case "rejected":
      return fail(400, "INVALID_PAYLOAD", outcome.reason, requestId, { rawId: outcome.rawId, reason: outcome.code });
    case "accepted":
      return reply(
        202,
        { status: "accepted", rawId: outcome.rawId, readings: outcome.readings, rejected: outcome.rejected, requestId },
        requestId,
      );
  }
}
