import { PROVIDER_CAPABILITIES } from "@/domain/providers";
import { classifyHttpError } from "@/domain/providers/classify";
import { parseThethingsioResources, thethingsioNextPage, thethingsioResourceUrl } from "@/domain/providers/thethingsio";
import { authedRequest, credential } from "./http";
import { num, pageOf, str, tryParse } from "./page";
import type { BindingCtx, Cursor, ProviderAdapter } from "./types";

/** The thing token is the credential (in the path): credentials[deviceRef], or `thingToken` for one-thing accounts. */
const thingToken = (b: BindingCtx) => credential(b.account, b.deviceRef, "thingToken");

const get = (b: BindingCtx, key: string, q: Parameters<typeof thethingsioResourceUrl>[3]) =>
  authedRequest(thethingsioAdapter, b.account, () => ({
    url: thethingsioResourceUrl(b.account.baseUrl, thingToken(b), key, q),
  }));

/** thethings.iO (§2B): one resource per request, newest first, paging by moving endDate back. */
export const thethingsioAdapter: ProviderAdapter = {
  kind: "thethingsio",
  capabilities: PROVIDER_CAPABILITIES.thethingsio,
  classifyError: (status, headers, body) => classifyHttpError("thethingsio", status, headers, body),
  authenticate: async () => ({ token: "", expiresAt: null }),

  async fetchLatest(b) {
    const parts = [];
    for (const key of b.keys) {
      const res = await get(b, key, { limit: 1 });
      parts.push(tryParse(res.text, key, () => parseThethingsioResources(res.text, b.deviceRef, key)).part);
    }
    return pageOf(parts, null);
  },

  async fetchRange(b, { from, to, cursor }) {
    const limit = b.account.config.pageSize;
    const k = num(cursor, "k") ?? 0;
    const key = b.keys[k];
    if (key === undefined) return pageOf([], null);
    const prevEnd = str(cursor, "endDate");
    const endDate = prevEnd ? new Date(prevEnd) : to;
    const res = await get(b, key, { limit, startDate: from, endDate });
    const { part, parsed } = tryParse(res.text, key, () => parseThethingsioResources(res.text, b.deviceRef, key));
    if (!parsed) return pageOf([part], null);
    const n = thethingsioNextPage(limit, parsed, prevEnd ? endDate : undefined);
    const next: Cursor | null = !n.done
      ? { k, endDate: n.endDate.toISOString() }
      : k + 1 < b.keys.length
        ? { k: k + 1 }
        : null;
    return pageOf([part], next);
  },
};
