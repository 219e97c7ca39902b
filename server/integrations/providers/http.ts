import { AppError } from "@/domain/errors";
import type { ErrorClass, ProviderKind } from "@/domain/providers/types";
import type { AccountCtx, AuthState, ProviderAdapter } from "./types";

export interface ProviderResponse {
  status: number;
  headers: Headers;
  text: string;
}

/**
 * One HTTP call with a timeout. Never logs or echoes the URL: thethings.iO puts its credential in
 * the path. A request that gets no answer is a transient PROVIDER_UNAVAILABLE.
 */
export async function providerFetch(
  kind: ProviderKind,
  url: string,
  init: RequestInit,
  timeoutMs: number,
): Promise<ProviderResponse> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs), redirect: "error" });
  } catch (e) {
    const why =
      e instanceof Error && e.name === "TimeoutError"
        ? `no answer within ${timeoutMs} ms`
        : e instanceof Error
          ? e.message
          : String(e);
    throw new AppError("PROVIDER_UNAVAILABLE", `${kind}: request failed: ${why}`, {
      details: { errorClass: "transient" },
    });
  }
  let text: string;
  try {
    text = await res.text();
  } catch (e) {
    throw new AppError(
      "PROVIDER_UNAVAILABLE",
      `${kind}: response interrupted: ${e instanceof Error ? e.message : String(e)}`,
      { details: { errorClass: "transient" } },
    );
  }
  return { status: res.status, headers: res.headers, text };
}

/** An ErrorClass as the AppError the workers act on (retry, wait, or fail loudly). */
function appErrorFor(kind: ProviderKind, c: ErrorClass, status: number | null): AppError {
  const details = { errorClass: c.kind, status };
  switch (c.kind) {
    case "auth":
      return new AppError("PROVIDER_AUTH", `${kind}: authentication rejected (HTTP ${status ?? "-"})`, { details });
    case "rate_limited":
      return new AppError(
        "PROVIDER_RATE_LIMITED",
        `${kind}: rate limited, retry in ${Math.round(c.retryAfterMs / 1000)} s`,
        { details, retryAfterMs: c.retryAfterMs },
      );
    case "transient":
      return new AppError("PROVIDER_UNAVAILABLE", `${kind}: unavailable (HTTP ${status ?? "no answer"})`, { details });
    case "permanent":
      return new AppError("PROVIDER_PERMANENT", c.reason, { details });
  }
}

export function errorFromResponse(
  adapter: Pick<ProviderAdapter, "kind" | "classifyError">,
  res: ProviderResponse,
): AppError {
  return appErrorFor(adapter.kind, adapter.classifyError(res.status, res.headers, res.text), res.status);
}

const ok = (r: ProviderResponse) => r.status >= 200 && r.status < 300;

/**
 * Authenticated call: uses the cached credential; on an auth failure with a session credential
 * (JWT login) logs in again once and retries, as the spec asks (§4.2).
 */
export async function authedRequest(
  adapter: ProviderAdapter,
  account: AccountCtx,
  build: (auth: AuthState) => { url: string; init?: RequestInit },
): Promise<ProviderResponse> {
  const call = async (auth: AuthState) => {
    const { url, init } = build(auth);
    return providerFetch(adapter.kind, url, { method: "GET", ...init }, account.config.timeoutMs);
  };
  let auth = await adapter.authenticate(account);
  let res = await call(auth);
  if (!ok(res) && auth.expiresAt !== null && adapter.classifyError(res.status, res.headers, res.text).kind === "auth") {
    auth = await adapter.authenticate(account, { force: true });
    res = await call(auth);
  }
  if (!ok(res)) throw errorFromResponse(adapter, res);
  return res;
}

/** The worker-facing class of any thrown value. */
export function errorClassOf(e: unknown): ErrorClass["kind"] {
  if (AppError.is(e)) {
    if (e.code === "PROVIDER_AUTH") return "auth";
    if (e.code === "PROVIDER_RATE_LIMITED" || e.retryAfterMs) return "rate_limited";
    return e.retryable ? "transient" : "permanent";
  }
  return "transient";
}

export function credential(account: AccountCtx, ...names: string[]): string {
  for (const n of names) {
    const v = account.credentials[n];
    if (v) return v;
  }
  throw new AppError(
    "PROVIDER_PERMANENT",
    `${account.kind} account ${account.id}: missing credential (${names.filter((n) => !n.includes(":")).join(" or ")})`,
    { details: { errorClass: "permanent" } },
  );
}
