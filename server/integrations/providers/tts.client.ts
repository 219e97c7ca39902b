import { AppError } from "@/domain/errors";
import { PROVIDER_CAPABILITIES } from "@/domain/providers";
import { classifyHttpError } from "@/domain/providers/classify";
import { parseTtsStorageStream, ttsNextPage, ttsStorageUrl, type TtsParseOptions } from "@/domain/providers/tts";
import { authedRequest, credential } from "./http";
import { pageOf, str, tryParse } from "./page";
import type { BindingCtx, Cursor, ProviderAdapter } from "./types";

/** deviceRef is `{application_id}/{device_id}` (ttsDeviceRef). */
function splitTtsDeviceRef(deviceRef: string): { applicationId: string; deviceId: string } {
  const i = deviceRef.indexOf("/");
  if (i <= 0 || i === deviceRef.length - 1)
    throw new AppError(
      "PROVIDER_PERMANENT",
      `tts binding deviceRef ${JSON.stringify(deviceRef)} must be "<application_id>/<device_id>"`,
      { details: { errorClass: "permanent" } },
    );
  return { applicationId: deviceRef.slice(0, i), deviceId: deviceRef.slice(i + 1) };
}

const ttsOptions = (b: BindingCtx): TtsParseOptions => (b.account.settings.tts as TtsParseOptions | undefined) ?? {};

/** The Things Stack v3 Storage Integration (§2A.4): static API key, NDJSON stream, time paging on received_at. */
export const ttsAdapter: ProviderAdapter = {
  kind: "tts",
  capabilities: PROVIDER_CAPABILITIES.tts,
  classifyError: (status, headers, body) => classifyHttpError("tts", status, headers, body),
  authenticate: async (account) => ({ token: credential(account, "apiKey", "api_key"), expiresAt: null }),

  fetchLatest() {
    // Storage is batched and not meant for real time (§2A.4): latest values come by webhook or MQTT.
    return Promise.reject(new AppError("BAD_INPUT", "tts has no latest read; use fetchRange over a recent window"));
  },

  async fetchRange(b, { from, to, cursor }) {
    const { applicationId, deviceId } = splitTtsDeviceRef(b.deviceRef);
    const limit = b.account.config.pageSize;
    const after = str(cursor, "after") ?? from.toISOString();
    const excludeIds = Array.isArray(cursor?.excludeIds) ? (cursor.excludeIds as string[]) : [];
    const res = await authedRequest(ttsAdapter, b.account, (auth) => ({
      url: ttsStorageUrl(b.account.baseUrl, applicationId, deviceId, {
        limit,
        after,
        before: to,
        order: "received_at",
      }),
      init: { headers: { authorization: `Bearer ${auth.token}`, accept: "application/x-ndjson, application/json" } },
    }));
    const { part, parsed } = tryParse(res.text, undefined, () =>
      parseTtsStorageStream(res.text, { ...ttsOptions(b), excludeIds }),
    );
    if (!parsed) return pageOf([part], null);
    if (parsed.streamError) {
      const e = new AppError("PROVIDER_UNAVAILABLE", `tts: storage stream broke off: ${parsed.streamError.message}`, {
        details: { errorClass: "transient" },
      });
      return pageOf([part], null, e);
    }
    const n = ttsNextPage(limit, parsed, str(cursor, "after"));
    const next: Cursor | null = n.done ? null : { after: n.after, excludeIds: n.excludeIds };
    return pageOf([part], next);
  },
};
