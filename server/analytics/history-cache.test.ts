import { describe, expect, it } from "vitest";
import { HistoryCache } from "./history-cache";
import type { HistoryResult } from "./history";

const result = (rows: number, tag = 0): HistoryResult => ({
  pointId: tag,
  from: new Date(0),
  to: new Date(1),
  bucket: "day",
  auto: true,
  bucketTimeZone: "America/Santiago",
  truncated: false,
  series: [
    {
      variable: "flow",
      unit: "L/s",
      rows: Array.from({ length: rows }, (_, i) => ({
        t: new Date(i),
        value: i,
        quality: "ok",
        reason: null,
        flagged: false,
      })),
    },
  ],
});

describe("HistoryCache", () => {
  it("hits only with the same version and within the TTL", () => {
    const c = new HistoryCache({ maxRows: 100, ttlMs: 1000 });
    const v = result(3);
    c.set("k", "1", 0, v);
    expect(c.get("k", "1", 999)).toBe(v);
    expect(c.get("k", "2", 999)).toBeUndefined();
    expect(c.get("k", "1", 10)).toBeUndefined(); // the stale entry was dropped on the version miss
    c.set("k", "1", 0, v);
    expect(c.get("k", "1", 1001)).toBeUndefined();
    expect(c.snapshot()).toMatchObject({ hits: 1, misses: 3, entries: 0, rows: 0 });
  });

  it("evicts the least recently used entries to stay within the row budget", () => {
    const c = new HistoryCache({ maxRows: 10, ttlMs: 1e9 });
    c.set("a", "0", 0, result(4, 1));
    c.set("b", "0", 0, result(4, 2));
    expect(c.get("a", "0", 0)?.pointId).toBe(1); // a is now the most recent
    c.set("c", "0", 0, result(4, 3));
    expect(c.get("b", "0", 0)).toBeUndefined();
    expect(c.get("a", "0", 0)?.pointId).toBe(1);
    expect(c.get("c", "0", 0)?.pointId).toBe(3);
    expect(c.snapshot().rows).toBe(8);
  });

  it("does not hold a result larger than the whole budget, and replacing a key frees its rows", () => {
    const c = new HistoryCache({ maxRows: 5, ttlMs: 1e9 });
    c.set("big", "0", 0, result(6));
    expect(c.snapshot()).toMatchObject({ entries: 0, rows: 0 });
    c.set("k", "0", 0, result(3));
    c.set("k", "1", 0, result(2));
    expect(c.snapshot()).toMatchObject({ entries: 1, rows: 2 });
  });
});
