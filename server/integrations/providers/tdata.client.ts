import { PROVIDER_CAPABILITIES } from "@/domain/providers";
import { classifyHttpError } from "@/domain/providers/classify";
import {
  parseTdataLogin,
  parseTdataTimeseries,
  tdataLoginUrl,
  tdataNextPage,
  tdataTimeseriesUrl,
} from "@/domain/providers/tdata";
import { cachedAuth } from "./auth-cache";
import { authedRequest, credential, errorFromResponse, providerFetch } from "./http";
import { num, pageOf, tryParse } from "./page";
import type { AccountCtx, Cursor, ProviderAdapter } from "./types";

/** T.Data (TwinDimension): JWT login, ThingsBoard-style timeseries (§4). deviceRef = device UUID. */
export const tdataAdapter: ProviderAdapter = {
  kind: "tdata",
  capabilities: PROVIDER_CAPABILITIES.tdata,
  classifyError: (status, headers, body) => classifyHttpError("tdata", status, headers, body),

  authenticate: (account: AccountCtx, opts) =>
    cachedAuth(
      account.id,
      async () => {
        const body = JSON.stringify({
          username: credential(account, "username"),
          password: credential(account, "password"),
        });
        const res = await providerFetch(
          "tdata",
          tdataLoginUrl(account.baseUrl),
          { method: "POST", headers: { "content-type": "application/json" }, body },
          account.config.timeoutMs,
        );
        if (res.status < 200 || res.status >= 300) throw errorFromResponse(tdataAdapter, res);
        const s = parseTdataLogin(res.text, new Date());
        return { token: s.token, expiresAt: s.expiresAt };
      },
      opts?.force,
    ),

  async fetchLatest(b) {
    const res = await authedRequest(tdataAdapter, b.account, (auth) => ({
      url: tdataTimeseriesUrl(b.account.baseUrl, b.deviceRef, { keys: b.keys }),
      init: { headers: { authorization: `Bearer ${auth.token}` } },
    }));
    return pageOf([tryParse(res.text, undefined, () => parseTdataTimeseries(res.text, b.deviceRef)).part], null);
  },

  async fetchRange(b, { from, to, cursor }) {
    const limit = b.account.config.pageSize;
    const startTs = num(cursor, "startTs") ?? from.getTime();
    const endTs = num(cursor, "endTs") ?? to.getTime();
    const res = await authedRequest(tdataAdapter, b.account, (auth) => ({
      url: tdataTimeseriesUrl(b.account.baseUrl, b.deviceRef, { keys: b.keys, startTs, endTs, limit, asc: true }),
      init: { headers: { authorization: `Bearer ${auth.token}` } },
    }));
    const { part, parsed } = tryParse(res.text, undefined, () => parseTdataTimeseries(res.text, b.deviceRef));
    let nextStart: number | undefined;
    let nextEnd: number | undefined;
    // Keys page together: a key whose page was full decides where the next page starts (or ends, if the server ignored asc).
    for (const key of parsed ? b.keys : []) {
      const n = tdataNextPage(limit, parsed?.pages[key]);
      if (n.done) continue;
      if ("startTs" in n) nextStart = Math.min(n.startTs, nextStart ?? Infinity);
      else nextEnd = Math.max(n.endTs, nextEnd ?? -Infinity);
    }
    const next: Cursor | null =
      nextStart !== undefined
        ? { startTs: nextStart, endTs }
        : nextEnd !== undefined
          ? { startTs, endTs: nextEnd }
          : null;
    return pageOf([part], next);
  },
};
