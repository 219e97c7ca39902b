import { describe, expect, it } from "vitest";
import { getHeader, latestPerKey, parseTimestamp, parseUtcInstant, toFiniteNumber } from "./shared";
import { PROVIDER_CAPABILITIES, PROVIDER_KINDS, PROVIDER_PARSERS } from "./index";

describe("parseUtcInstant", () => {
  it("accepts Z and offsets, truncates nanoseconds, rejects zone-less and impossible dates", () => {
    expect(parseUtcInstant("2025-03-10T14:00:07.512938120Z")?.toISOString()).toBe("2025-03-10T14:00:07.512Z");
    expect(parseUtcInstant("2025-03-10T11:00:00-03:00")?.toISOString()).toBe("2025-03-10T14:00:00.000Z");
    expect(parseUtcInstant("2025-03-10T11:00:00-0300")?.toISOString()).toBe("2025-03-10T14:00:00.000Z");
    expect(parseUtcInstant("2025-03-10 14:00:00Z")?.toISOString()).toBe("2025-03-10T14:00:00.000Z");
    expect(parseUtcInstant("2025-03-10T14:00:00")).toBeNull();
    expect(parseUtcInstant("2025-02-30T14:00:00Z")).toBeNull();
    expect(parseUtcInstant("yesterday")).toBeNull();
  });

  it("is DST-irrelevant: both sides of Chile's April 2025 change are distinct UTC instants", () => {
    // 2025-04-05 23:30 local happens twice (UTC-3 then UTC-4).
    const before = parseUtcInstant("2025-04-05T23:30:00-03:00")!;
    const after = parseUtcInstant("2025-04-05T23:30:00-04:00")!;
    expect(after.getTime() - before.getTime()).toBe(3_600_000);
    expect(before.toISOString()).toBe("2025-04-06T02:30:00.000Z");
  });
});

describe("parseTimestamp / toFiniteNumber", () => {
  it("auto-detects epoch seconds vs milliseconds", () => {
    expect(parseTimestamp(1741615200)?.toISOString()).toBe("2025-03-10T14:00:00.000Z");
    expect(parseTimestamp(1741615200000)?.toISOString()).toBe("2025-03-10T14:00:00.000Z");
    expect(parseTimestamp("1741615200")?.toISOString()).toBe("2025-03-10T14:00:00.000Z");
    expect(parseTimestamp(1741615200, "ms")?.toISOString()).toBe("1970-01-21T03:46:55.200Z");
    expect(parseTimestamp("2025-03-10T14:00:00Z", "s")).toBeNull();
    expect(parseTimestamp(true)).toBeNull();
  });

  it("is strict about numbers", () => {
    expect([toFiniteNumber("12.4"), toFiniteNumber(" 7 "), toFiniteNumber(-9999)]).toEqual([12.4, 7, -9999]);
    for (const bad of ["", " ", "NaN", "Infinity", "12,4", null, undefined, true, Number.NaN])
      expect(toFiniteNumber(bad)).toBeNull();
  });
});

describe("headers and latest", () => {
  it("reads headers case-insensitively from records and Headers", () => {
    expect(getHeader({ "Retry-After": ["5", "6"] }, "retry-after")).toBe("5");
    expect(getHeader(new Headers({ "x-a": "1" }), "X-A")).toBe("1");
    expect(getHeader(undefined, "x")).toBeNull();
  });

  it("keeps the newest reading per device and key", () => {
    const r = (deviceRef: string, key: string, iso: string) => ({
      deviceRef,
      key,
      measuredAt: new Date(iso),
      rawValue: iso,
    });
    const out = latestPerKey([
      r("a", "k", "2025-01-02T00:00:00Z"),
      r("a", "k", "2025-01-03T00:00:00Z"),
      r("a", "k", "2025-01-01T00:00:00Z"),
      r("b", "k", "2025-01-01T00:00:00Z"),
    ]);
    expect(out.map((x) => `${x.deviceRef}:${x.rawValue as string}`)).toEqual([
      "a:2025-01-03T00:00:00Z",
      "b:2025-01-01T00:00:00Z",
    ]);
  });
});

describe("registry", () => {
  it("has parsers and capabilities for every kind; push parsers never throw", () => {
    for (const kind of PROVIDER_KINDS) {
      const p = PROVIDER_PARSERS[kind];
      expect(p.kind).toBe(kind);
      expect(p.capabilities).toBe(PROVIDER_CAPABILITIES[kind]);
      expect(p.parsePush === null).toBe(!p.capabilities.push);
      expect(() => p.parsePush?.("garbage", { deviceRef: "d" })).not.toThrow();
      expect(p.classifyError(503, {}, null)).toEqual({ kind: "transient" });
    }
  });
});
