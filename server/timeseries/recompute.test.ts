import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { recomputeSeries } from "./recompute";
import type { StoredRow } from "./types";

const T0 = Date.parse("2026-03-10T10:00:00Z");
const point = { pointId: 1, grantedFlowLps: null, expectedIntervalMs: 60_000 };
const tot = (min: number, value: number, rawId = "1"): StoredRow => ({
  pointId: 1,
  variable: "totalizer",
  ts: new Date(T0 + min * 60_000),
  value,
  rawValue: String(value),
  rawUnit: "m3",
  quality: "ok",
  reason: null,
  baseQuality: "ok",
  baseReason: null,
  source: "tago",
  rawId,
});

describe("recomputeSeries", () => {
  it("drops exact repeats and turns same-ts different values into conflicts", () => {
    const r = recomputeSeries(point, {
      variable: "totalizer",
      existing: [],
      existingConflicts: [],
      incoming: [tot(0, 10), tot(0, 10, "2"), tot(0, 11, "3"), tot(1, 12)],
    });
    expect(r.inserts.map((x) => x.value)).toEqual([10, 12]);
    expect(r.conflicts.map((x) => x.value)).toEqual([11]);
    expect(r.inserts[0]!.quality).toBe("duplicate_conflict");
  });

  it("hourly consumption adds up to the counter growth whatever the split into batches", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 3, maxLength: 60 }),
        fc.integer({ min: 1, max: 59 }),
        (steps, cut) => {
          let v = 100;
          const rows = steps.map((s, i) => tot(i * 7, (v += s / 10)));
          const once = recomputeSeries(point, {
            variable: "totalizer",
            existing: [],
            existingConflicts: [],
            incoming: rows,
          });
          const sum = (h: typeof once.hourly) => h.reduce((a, b) => a + (b.consumptionM3 ?? 0), 0);
          expect(sum(once.hourly)).toBeCloseTo(rows[rows.length - 1]!.value! - rows[0]!.value!, 6);
          const k = Math.min(cut, rows.length - 1);
          const first = recomputeSeries(point, {
            variable: "totalizer",
            existing: [],
            existingConflicts: [],
            incoming: rows.slice(0, k),
          });
          const second = recomputeSeries(point, {
            variable: "totalizer",
            existing: first.inserts,
            existingConflicts: [],
            incoming: rows.slice(k),
          });
          expect(second.inserts.map((r) => r.quality)).toEqual(once.inserts.slice(k).map((r) => r.quality));
        },
      ),
      { numRuns: 100 },
    );
  });
});
