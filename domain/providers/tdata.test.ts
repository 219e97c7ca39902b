import { describe, expect, it } from "vitest";
import fc from "fast-check";
import login from "@/domain/__fixtures__/providers/tdata-login.json";
import series from "@/domain/__fixtures__/providers/tdata-timeseries.json";
import desc from "@/domain/__fixtures__/providers/tdata-timeseries-desc.json";
import malformed from "@/domain/__fixtures__/providers/tdata-timeseries-malformed.json";
import { AppError } from "@/domain/errors";
import {
  decodeJwtExp,
  parseTdataLogin,
  parseTdataTimeseries,
  tdataLatest,
  tdataLoginUrl,
  tdataNextPage,
  tdataTimeseriesUrl,
} from "./tdata";

const NOW = new Date("2025-03-10T14:00:00Z");

describe("parseTdataLogin", () => {
  it("reads the JWT exp and refreshes 60 s early", () => {
    const s = parseTdataLogin(login, NOW);
    expect(s.expirySource).toBe("jwt");
    expect(s.expiresAt.toISOString()).toBe("2025-03-10T14:59:00.000Z");
    expect(s.refreshToken).toMatch(/^eyJ/);
  });

  it("falls back to 55 min for an opaque token or an exp already past", () => {
    expect(parseTdataLogin({ token: "opaque-token" }, NOW).expiresAt.toISOString()).toBe("2025-03-10T14:55:00.000Z");
    const late = parseTdataLogin(login, new Date("2025-03-10T16:00:00Z"));
    expect(late.expirySource).toBe("fallback");
  });

  it("accepts a raw JSON string body and rejects a body without token", () => {
    expect(parseTdataLogin(JSON.stringify(login), NOW).token).toBe(login.token);
    expect(() => parseTdataLogin({ error: "bad credentials" }, NOW)).toThrow(AppError);
    expect(() => parseTdataLogin("<html>", NOW)).toThrow(/no token/);
  });

  it("decodes base64url payloads and survives garbage", () => {
    expect(decodeJwtExp(login.token)).toBe(1741618800);
    expect(decodeJwtExp("a.b.c")).toBeNull();
    expect(decodeJwtExp("")).toBeNull();
    expect(decodeJwtExp(`x.${btoa('{"exp":"soon"}')}.y`)).toBeNull();
  });
});

describe("parseTdataTimeseries", () => {
  it("parses string and number values as epoch-ms UTC readings", () => {
    const r = parseTdataTimeseries(series, "dev-1");
    expect(r.rejected).toEqual([]);
    expect(r.readings).toHaveLength(7);
    const level = r.readings.find((x) => x.key === "5010")!;
    expect(level).toMatchObject({ deviceRef: "dev-1", rawValue: 41.27, sourceId: "dev-1:5010:1741615140000" });
    expect(level.measuredAt.toISOString()).toBe("2025-03-10T13:59:00.000Z");
    expect(r.readings.find((x) => x.key === "5001")!.rawValue).toBe("12.4");
    expect(r.pages["5001"]).toMatchObject({ count: 3, minTs: 1741615200000, maxTs: 1741615320000 });
  });

  it("keeps status texts (NaN, ERR, 12,3) as readings and rejects empty, null, non-integer ts and non-array keys with reasons", () => {
    const r = parseTdataTimeseries(malformed, "dev-1");
    expect(r.readings.map((x) => x.rawValue)).toEqual(["NaN", "12,3", "12.5"]);
    const reasons = r.rejected.map((x) => x.reason).join("\n");
    expect(r.rejected).toHaveLength(5);
    expect(reasons).toContain('value "" is not a finite number');
    expect(reasons).toContain("value null");
    expect(reasons).toContain("ts must be integer epoch ms, got string");
    expect(reasons).toContain("key 5003: expected an array, got object");
    expect(r.pages["5010"]).toMatchObject({ count: 0 });
  });

  it('keeps a logger\'s "ERR" as a reading with its raw text, never drops it', () => {
    const r = parseTdataTimeseries(
      {
        "5001": [
          { ts: 1741615200000, value: "ERR" },
          { ts: 1741615260000, value: 12.4 },
        ],
      },
      "dev-1",
    );
    expect(r.rejected).toEqual([]);
    expect(r.readings.map((x) => x.rawValue)).toEqual(["ERR", 12.4]);
  });

  it("throws a retryable provider error on a non-object body", () => {
    for (const bad of [[], "garbage{", 42, null]) {
      try {
        parseTdataTimeseries(bad, "dev-1");
        expect.unreachable();
      } catch (e) {
        expect(AppError.is(e, "PROVIDER_UNAVAILABLE")).toBe(true);
      }
    }
  });

  it("picks latest by max ts, never by array position", () => {
    const r = parseTdataTimeseries(desc, "dev-1");
    const [latest] = tdataLatest(r.readings);
    expect(latest?.rawValue).toBe("12.9");
  });

  it("keeps the same instant whatever the process time zone (all UTC)", () => {
    // 2025-04-06 03:00 Chile: DST ends, local 23:00-24:00 repeats; epoch ms is unambiguous.
    const r = parseTdataTimeseries(
      {
        k: [
          { ts: 1743908400000, value: 1 },
          { ts: 1743912000000, value: 2 },
        ],
      },
      "d",
    );
    expect(r.readings.map((x) => x.measuredAt.toISOString())).toEqual([
      "2025-04-06T03:00:00.000Z",
      "2025-04-06T04:00:00.000Z",
    ]);
  });

  it("keeps duplicates (idempotency is the writer's job) with equal sourceIds", () => {
    const r = parseTdataTimeseries(
      {
        k: [
          { ts: 1, value: 1 },
          { ts: 1, value: 1 },
        ],
      },
      "d",
    );
    expect(r.readings).toHaveLength(2);
    expect(r.readings[0]!.sourceId).toBe(r.readings[1]!.sourceId);
  });

  it("never throws on any object body", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (body) => {
        const r = parseTdataTimeseries(body, "d");
        expect(r.readings.every((x) => Number.isFinite(Number(x.rawValue)))).toBe(true);
      }),
    );
  });
});

describe("tdataNextPage", () => {
  const page = (ts: number[]) => parseTdataTimeseries({ k: ts.map((t) => ({ ts: t, value: 1 })) }, "d").pages.k;

  it("continues at max ts + 1 after a full ascending page", () => {
    expect(tdataNextPage(3, page([10, 20, 30]))).toEqual({ done: false, startTs: 31 });
  });
  it("stops on a short or empty page, or a missing key", () => {
    expect(tdataNextPage(3, page([10, 20]))).toEqual({ done: true });
    expect(tdataNextPage(3, page([]))).toEqual({ done: true });
    expect(tdataNextPage(3, undefined)).toEqual({ done: true });
  });
  it("walks down when the server ignored asc and answered newest-first", () => {
    expect(tdataNextPage(3, page([30, 20, 10]))).toEqual({ done: false, endTs: 9 });
  });
  it("counts rejected items toward the limit", () => {
    const p = parseTdataTimeseries(
      {
        k: [
          { ts: 1, value: "x" },
          { ts: 2, value: 1 },
        ],
      },
      "d",
    ).pages.k;
    expect(tdataNextPage(2, p)).toEqual({ done: false, startTs: 3 });
  });
});

describe("tdata URLs", () => {
  it("builds login and timeseries URLs under the base path", () => {
    expect(tdataLoginUrl("https://api.twindimension.com/tdata/v1/")).toBe(
      "https://api.twindimension.com/tdata/v1/login",
    );
    const url = new URL(
      tdataTimeseriesUrl("https://api.twindimension.com/tdata/v1", "9b2f/x", {
        keys: ["5001", "5003"],
        startTs: 1,
        endTs: 2,
        limit: 10000,
        asc: true,
      }),
    );
    expect(url.pathname).toBe("/tdata/v1/telemetry/DEVICE/9b2f%2Fx/values/timeseries");
    expect(Object.fromEntries(url.searchParams)).toEqual({
      keys: "5001,5003",
      startTs: "1",
      endTs: "2",
      limit: "10000",
      asc: "true",
    });
    expect(new URL(tdataTimeseriesUrl("http://h/tdata/v1", "d", { keys: ["5001"] })).search).toBe("?keys=5001");
  });
});
