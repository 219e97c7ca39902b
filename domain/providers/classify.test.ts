import { describe, expect, it } from "vitest";
import rateLimited from "@/domain/__fixtures__/providers/tts-error-rate-limited.json";
import unauthenticated from "@/domain/__fixtures__/providers/tts-error-unauthenticated.json";
import tago429 from "@/domain/__fixtures__/providers/tago-rate-limited.json";
import { AppError } from "@/domain/errors";
import { classifyHttpError, classifyThrown, retryAfterMs } from "./classify";

describe("classifyHttpError", () => {
  it("maps auth failures", () => {
    expect(classifyHttpError("tdata", 401, {}, "")).toEqual({ kind: "auth" });
    expect(classifyHttpError("tago", 403, {}, { status: false, message: "Authorization denied" })).toEqual({
      kind: "auth",
    });
    expect(classifyHttpError("tts", 400, {}, unauthenticated)).toEqual({ kind: "auth" });
  });

  it("reads Retry-After from headers, the TTS header and the Tago message, else 60 s", () => {
    expect(classifyHttpError("tdata", 429, { "Retry-After": "12" }, "")).toEqual({
      kind: "rate_limited",
      retryAfterMs: 12_000,
    });
    expect(classifyHttpError("tts", 429, new Headers({ "X-Rate-Limit-Retry": "7" }), rateLimited)).toEqual({
      kind: "rate_limited",
      retryAfterMs: 7_000,
    });
    expect(classifyHttpError("tago", 429, {}, JSON.stringify(tago429))).toEqual({
      kind: "rate_limited",
      retryAfterMs: 37_000,
    });
    expect(classifyHttpError("thethingsio", 429, {}, null)).toEqual({ kind: "rate_limited", retryAfterMs: 60_000 });
  });

  it("understands an HTTP-date Retry-After when given now", () => {
    const headers = { "retry-after": "Mon, 10 Mar 2025 14:00:30 GMT" };
    expect(retryAfterMs(headers, new Date("2025-03-10T14:00:00Z"))).toBe(30_000);
    expect(retryAfterMs(headers)).toBeNull();
  });

  it("treats 5xx, 408 and no answer as transient", () => {
    for (const s of [500, 502, 503, 504, 408, null])
      expect(classifyHttpError("tago", s, {}, null)).toEqual({ kind: "transient" });
  });

  it("treats other 4xx as permanent with the provider's message", () => {
    expect(classifyHttpError("tago", 400, {}, { status: false, message: "Invalid variable" })).toEqual({
      kind: "permanent",
      reason: "tago HTTP 400: Invalid variable",
    });
    expect(
      classifyHttpError("tts", 404, {}, { code: 5, message: "error:pkg/applicationserver:device_not_found" }),
    ).toEqual({
      kind: "permanent",
      reason: "tts HTTP 404: error:pkg/applicationserver:device_not_found",
    });
    expect(classifyHttpError("tdata", 400, {}, "")).toEqual({ kind: "permanent", reason: "tdata HTTP 400" });
  });
});

describe("classifyThrown", () => {
  it("retries network errors and retryable AppErrors, not permanent ones", () => {
    expect(classifyThrown(new TypeError("fetch failed"))).toEqual({ kind: "transient" });
    expect(classifyThrown(new AppError("PROVIDER_UNAVAILABLE"))).toEqual({ kind: "transient" });
    expect(classifyThrown(new AppError("BAD_INPUT", "bad mapping"))).toEqual({
      kind: "permanent",
      reason: "bad mapping",
    });
  });
});
