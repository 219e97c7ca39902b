import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseTagoActionBody, parseTagoDataResponse } from "@/domain/providers";
import { canonicalInstantMs, fastTagoPull, fastTagoRecords } from "./tago-fast";

const T = Date.parse("2026-03-10T12:00:00Z");
const record = fc.record(
  {
    id: fc.constantFrom("r1", "", 5),
    device: fc.constantFrom("dev-1", "", null),
    origin: fc.constantFrom("o-1", ""),
    variable: fc.constantFrom("caudal", "", 3),
    value: fc.oneof(fc.double(), fc.constantFrom("12.5", "x", true, null)),
    unit: fc.constantFrom("L/s", 3),
    group: fc.constantFrom("g", 1),
    time: fc.oneof(
      fc.integer({ min: T - 1e10, max: T + 1e10 }).map((t) => new Date(t).toISOString()),
      fc.constantFrom(
        "2026-02-30T00:00:00.000Z",
        "2026-03-10T12:00:00Z",
        "2026-03-10T12:00:00.000+00:00",
        "2026-03-10 12:00:00",
        "x",
        5,
      ),
    ),
    created_at: fc.constant("2026-03-10T12:00:00Z"),
  },
  { requiredKeys: [] },
);

describe("fast Tago parsing", () => {
  it("either defers to the domain parser or returns exactly its readings", () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(record, fc.constantFrom(null, 1, [])), { maxLength: 6 }),
        fc.constantFrom(undefined, "fallback"),
        (items, fallback) => {
          const fast = fastTagoPull({ status: true, result: items }, fallback);
          if (fast) expect(fast).toEqual(parseTagoDataResponse({ status: true, result: items }, fallback).readings);
          const push = fastTagoRecords(items);
          if (push) expect(push).toEqual(parseTagoActionBody(items).readings);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("takes the fast path for plain records", () => {
    const items = [{ id: "1", device: "d", variable: "caudal", value: 20.5, time: "2026-03-10T12:00:00.000Z" }];
    expect(fastTagoPull({ status: true, result: items })).toHaveLength(1);
    expect(fastTagoPull({ status: false, result: items })).toBeNull();
    expect(canonicalInstantMs("2026-02-30T00:00:00.000Z")).toBeNull();
  });
});

describe("canonicalInstantMs", () => {
  it("accepts exactly the strings toISOString writes, with their instant", () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(100, 0, 1), max: Date.UTC(9999, 11, 31) }), (ms) => {
        expect(canonicalInstantMs(new Date(ms).toISOString())).toBe(ms);
      }),
      { numRuns: 5000 },
    );
    for (const s of [
      "2024-02-29T00:00:00.000Z",
      "2023-02-29T00:00:00.000Z",
      "2026-04-31T00:00:00.000Z",
      "2026-01-01T24:00:00.000Z",
      "2026-01-01T00:00:60.000Z",
      "2026-01-01T00:00:00.000+",
      "2026-1-01T00:00:00.000Z",
    ]) {
      const ms = Date.parse(s);
      expect(canonicalInstantMs(s)).toBe(Number.isFinite(ms) && new Date(ms).toISOString() === s ? ms : null);
    }
  });
});
