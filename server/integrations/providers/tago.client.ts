import { PROVIDER_CAPABILITIES } from "@/domain/providers";
import { classifyHttpError } from "@/domain/providers/classify";
import { parseTagoDataResponse, tagoDataUrl, tagoNextPage } from "@/domain/providers/tago";
import { authedRequest, credential } from "./http";
import { num, pageOf, tryParse } from "./page";
import type { BindingCtx, ProviderAdapter } from "./types";

/** Device-Token per logger: credentials[deviceRef], or `token` for single-device accounts. Never `Bearer` (§3.2). */
const deviceToken = (b: BindingCtx) => credential(b.account, b.deviceRef, "token", "deviceToken");

const get = (b: BindingCtx, q: Parameters<typeof tagoDataUrl>[1]) =>
  authedRequest(tagoAdapter, b.account, () => ({
    url: tagoDataUrl(b.account.baseUrl, q),
    init: { headers: { "device-token": deviceToken(b) } },
  }));

/** TagoIO GET /data (§3.3): qty/skip paging over a fixed window, ascending. */
export const tagoAdapter: ProviderAdapter = {
  kind: "tago",
  capabilities: PROVIDER_CAPABILITIES.tago,
  classifyError: (status, headers, body) => classifyHttpError("tago", status, headers, body),
  authenticate: async (account) => ({ token: account.credentials.token ?? "", expiresAt: null }),

  async fetchLatest(b) {
    const parts = [];
    // last_item with several variables returns one record in total, so ask per variable.
    for (const key of b.keys) {
      const res = await get(b, { variables: [key], query: "last_item" });
      parts.push(tryParse(res.text, undefined, () => parseTagoDataResponse(res.text, b.deviceRef)).part);
    }
    return pageOf(parts, null);
  },

  async fetchRange(b, { from, to, cursor }) {
    const qty = b.account.config.pageSize;
    const skip = num(cursor, "skip") ?? 0;
    const res = await get(b, { variables: b.keys, qty, skip, ordination: "ascending", startDate: from, endDate: to });
    const { part, parsed } = tryParse(res.text, undefined, () => parseTagoDataResponse(res.text, b.deviceRef));
    if (!parsed) return pageOf([part], null);
    const n = tagoNextPage(qty, skip, parsed);
    return pageOf([part], n.done ? null : { skip: n.skip });
  },
};
