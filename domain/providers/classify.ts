import type { ErrorClass, HeadersLike, ProviderKind } from "./types";
import { getHeader, maybeJson } from "./shared";
import { parseTagoRetryAfter } from "./tago";
import { parseTtsErrorBody } from "./tts";

const DEFAULT_RETRY_AFTER_MS = 60_000;

/** Retry-After as delta seconds or an HTTP-date (needs `now`); TTS uses X-Rate-Limit-Retry (seconds). */
export function retryAfterMs(headers: HeadersLike | null | undefined, now?: Date): number | null {
  for (const name of ["retry-after", "x-rate-limit-retry"]) {
    const v = getHeader(headers, name)?.trim();
    if (!v) continue;
    if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
    const at = Date.parse(v);
    if (now && !Number.isNaN(at)) return Math.max(0, at - now.getTime());
  }
  return null;
}

function providerMessage(kind: ProviderKind, body: unknown): string | null {
  const root = maybeJson(body);
  if (kind === "tts") {
    const e = parseTtsErrorBody(root);
    return e.message ?? e.name;
  }
  if (typeof root === "string") return root.trim() ? root.trim().slice(0, 200) : null;
  if (typeof root !== "object" || root === null) return null;
  const m = (root as { message?: unknown; error?: unknown }).message ?? (root as { error?: unknown }).error;
  return typeof m === "string" ? m : null;
}

/**
 * HTTP outcome → retry policy. `status` null means the request never got an answer (DNS, reset,
 * timeout). 401/403 → auth (re-login once), 429 → wait, 5xx/408/network → transient, other 4xx →
 * permanent. TTS also signals quota exhaustion as gRPC code 8 and auth as 16/7 in the body.
 */
export function classifyHttpError(
  kind: ProviderKind,
  status: number | null,
  headers: HeadersLike | null | undefined,
  body: unknown,
  now?: Date,
): ErrorClass {
  if (status === null || status >= 500 || status === 408) return { kind: "transient" };
  const grpc = kind === "tts" ? parseTtsErrorBody(body).code : null;
  if (status === 429 || grpc === 8) {
    const tagoMs = kind === "tago" ? parseTagoRetryAfter(providerMessage(kind, body)) : null;
    return { kind: "rate_limited", retryAfterMs: retryAfterMs(headers, now) ?? tagoMs ?? DEFAULT_RETRY_AFTER_MS };
  }
  if (status === 401 || status === 403 || grpc === 16 || grpc === 7) return { kind: "auth" };
  if (status >= 400) {
    const message = providerMessage(kind, body);
    return { kind: "permanent", reason: `${kind} HTTP ${status}${message ? `: ${message}` : ""}` };
  }
  return { kind: "permanent", reason: `${kind} unexpected HTTP ${status}` };
}

/** A thrown value (fetch TypeError, AbortError, AppError from a parser) → retry policy. */
export function classifyThrown(error: unknown): ErrorClass {
  if (
    typeof error === "object" &&
    error !== null &&
    "retryable" in error &&
    (error as { retryable: unknown }).retryable === false
  ) {
    return { kind: "permanent", reason: error instanceof Error ? error.message : "non-retryable error" };
  }
  return { kind: "transient" };
}
