import { describe, expect, it } from "vitest";
import {
  aggregateSeries,
  lttb,
  offsetBucketStart,
  pickBucket,
  utcBucketStart,
  type AggregatableRow,
} from "@/domain/measurements/aggregate";

const at = (iso: string) => new Date(iso);
const r = (iso: string, value: number | null, quality: AggregatableRow["quality"] = "ok"): AggregatableRow => ({
  ts: at(iso),
  value,
  quality,
});

describe("bucketStart helpers", () => {
  it("truncates in UTC", () => {
    const ts = at("2026-11-28T13:47:31.250Z");
    expect(utcBucketStart("minute")(ts).toISOString()).toBe("2026-11-28T13:47:00.000Z");
    expect(utcBucketStart("5min")(ts).toISOString()).toBe("2026-11-28T13:45:00.000Z");
    expect(utcBucketStart("15min")(ts).toISOString()).toBe("2026-11-28T13:45:00.000Z");
    expect(utcBucketStart("hour")(ts).toISOString()).toBe("2026-11-28T13:00:00.000Z");
    expect(utcBucketStart("day")(ts).toISOString()).toBe("2026-11-28T00:00:00.000Z");
    expect(utcBucketStart("month")(ts).toISOString()).toBe("2026-11-01T00:00:00.000Z");
  });

  it("truncates in a fixed local offset", () => {
    const ts = at("2026-12-01T02:30:00Z"); // 22:30 on 30 Nov at UTC-4
    expect(offsetBucketStart("day", -240)(ts).toISOString()).toBe("2026-11-30T04:00:00.000Z");
    expect(offsetBucketStart("month", -240)(ts).toISOString()).toBe("2026-11-01T04:00:00.000Z");
  });
});

describe("aggregateSeries", () => {
  it("computes min/max/avg/last/count per bucket, sorted", () => {
    const rows = [
      r("2026-11-28T13:40:00Z", 44),
      r("2026-11-28T13:10:00Z", 40),
      r("2026-11-28T13:25:00Z", 42),
      r("2026-11-28T12:59:00Z", 10),
    ];
    expect(aggregateSeries(rows, utcBucketStart("hour"))).toEqual([
      {
        bucketStart: at("2026-11-28T12:00:00Z"),
        min: 10,
        max: 10,
        avg: 10,
        last: 10,
        count: 1,
        excluded: 0,
        worstQuality: "ok",
      },
      {
        bucketStart: at("2026-11-28T13:00:00Z"),
        min: 40,
        max: 44,
        avg: 42,
        last: 44,
        count: 3,
        excluded: 0,
        worstQuality: "ok",
      },
    ]);
  });

  it("leaves untrusted values out of the statistics but reports the worst quality", () => {
    const rows = [
      r("2026-11-28T13:10:00Z", 40),
      r("2026-11-28T13:20:00Z", 900, "spike"),
      r("2026-11-28T13:30:00Z", null, "error_code"),
    ];
    const [b] = aggregateSeries(rows, utcBucketStart("hour"));
    expect(b).toMatchObject({ min: 40, max: 40, avg: 40, last: 40, count: 1, excluded: 2, worstQuality: "error_code" });
  });

  it("gives null statistics for a bucket with only unusable rows", () => {
    const [b] = aggregateSeries([r("2026-11-28T13:10:00Z", null, "unparseable")], utcBucketStart("hour"));
    expect(b).toMatchObject({
      min: null,
      max: null,
      avg: null,
      last: null,
      count: 0,
      excluded: 1,
      worstQuality: "unparseable",
    });
  });
});

describe("pickBucket", () => {
  const H = 3_600_000;
  const from = Date.parse("2026-11-01T00:00:00Z");
  it.each([
    [12 * H, "minute"],
    [24 * H, "5min"],
    [7 * 24 * H, "15min"],
    [30 * 24 * H, "hour"],
    [365 * 24 * H, "day"],
    [10 * 365 * 24 * H, "month"],
  ] as const)("span %d ms → %s", (span, expected) => {
    expect(pickBucket(from, from + span)).toBe(expected);
  });

  it("never exceeds maxBuckets when a size fits", () => {
    expect(pickBucket(from, from + 1000 * 60_000)).toBe("minute");
    expect(pickBucket(from, from + 1001 * 60_000)).toBe("5min");
    expect(pickBucket(from, from + 24 * H, 24)).toBe("hour");
  });

  it("handles an empty range", () => {
    expect(pickBucket(from, from)).toBe("minute");
  });
});

describe("lttb", () => {
  const pts = Array.from({ length: 100 }, (_, i) => ({ x: i, y: i === 57 ? 80 : Math.sin(i / 10) }));
  const X = (p: { x: number }) => p.x;
  const Y = (p: { y: number }) => p.y;

  it("keeps first, last and the extreme point, with the requested count", () => {
    const out = lttb(pts, 10, X, Y);
    expect(out).toHaveLength(10);
    expect(out[0]).toBe(pts[0]);
    expect(out[9]).toBe(pts[99]);
    expect(out).toContain(pts[57]);
    expect(out.map((p) => p.x)).toEqual([...out.map((p) => p.x)].sort((a, b) => a - b));
  });

  it("returns the input when under the threshold and handles tiny thresholds", () => {
    expect(lttb(pts.slice(0, 5), 10, X, Y)).toEqual(pts.slice(0, 5));
    expect(lttb(pts, 0, X, Y)).toEqual([]);
    expect(lttb(pts, 1, X, Y)).toEqual([pts[0]]);
    expect(lttb(pts, 2, X, Y)).toEqual([pts[0], pts[99]]);
  });
});
