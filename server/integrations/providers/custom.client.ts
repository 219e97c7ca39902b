import { AppError } from "@/domain/errors";
import { PROVIDER_CAPABILITIES } from "@/domain/providers";
import { classifyHttpError } from "@/domain/providers/classify";
import { compileCustomMapping, parseCustom, type CustomMappingConfig } from "@/domain/providers/custom";
import { authedRequest } from "./http";
import { pageOf, tryParse } from "./page";
import type { BindingCtx, FetchPage, ProviderAdapter } from "./types";

interface PullSettings {
  /** URL template: {deviceRef}, {from}, {to} (ISO, URL-encoded). Relative to the account baseUrl. */
  url: string;
  headers?: Record<string, string>;
}

function pullSettings(b: BindingCtx): { pull: PullSettings; mapping: ReturnType<typeof compileCustomMapping> } {
  const pull = b.account.settings.pull as PullSettings | undefined;
  const mapping = b.account.settings.customMapping as CustomMappingConfig | undefined;
  const fail = (why: string) =>
    new AppError("PROVIDER_PERMANENT", `custom account ${b.account.id}: ${why}`, {
      details: { errorClass: "permanent" },
    });
  if (!pull || typeof pull.url !== "string") throw fail("settings.pull.url is missing");
  if (!mapping) throw fail("settings.customMapping is missing");
  try {
    return { pull, mapping: compileCustomMapping(mapping) };
  } catch (e) {
    throw fail(e instanceof Error ? e.message : String(e));
  }
}

async function fetchCustom(b: BindingCtx, window: { from: Date; to: Date } | null): Promise<FetchPage> {
  const { pull, mapping } = pullSettings(b);
  const fill = (t: string) =>
    t
      .replaceAll("{deviceRef}", encodeURIComponent(b.deviceRef))
      .replaceAll("{from}", window ? encodeURIComponent(window.from.toISOString()) : "")
      .replaceAll("{to}", window ? encodeURIComponent(window.to.toISOString()) : "");
  // Secret headers live in the credentials as "header:<name>"; plain ones in settings.pull.headers.
  const secretHeaders = Object.fromEntries(
    Object.entries(b.account.credentials)
      .filter(([k]) => k.startsWith("header:"))
      .map(([k, v]) => [k.slice(7), v]),
  );
  const res = await authedRequest(customAdapter, b.account, () => ({
    url: new URL(
      fill(pull.url),
      b.account.baseUrl.endsWith("/") ? b.account.baseUrl : `${b.account.baseUrl}/`,
    ).toString(),
    init: { headers: { accept: "application/json", ...pull.headers, ...secretHeaders } },
  }));
  return pageOf([tryParse(res.text, undefined, () => parseCustom(res.text, mapping, b.deviceRef)).part], null);
}

/** Any JSON HTTP API described by settings (URL template + JSONPath-lite mapping): the legacy "dynamic provider". */
export const customAdapter: ProviderAdapter = {
  kind: "custom",
  capabilities: PROVIDER_CAPABILITIES.custom,
  classifyError: (status, headers, body) => classifyHttpError("custom", status, headers, body),
  authenticate: async () => ({ token: "", expiresAt: null }),
  fetchLatest: (b) => fetchCustom(b, null),
  // One request per window: the template decides whether {from}/{to} are honoured.
  fetchRange: (b, q) => fetchCustom(b, q),
};
