import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { offsetBucketStart, type BucketSize } from "@/domain/measurements/aggregate";
import { assessSeries, type SeriesRow } from "@/domain/measurements/assess";
import {
  bucketConsumption,
  consumptionDeltas,
  totalConsumptionM3,
  type ConsumptionDelta,
} from "@/domain/measurements/consumption";

const T0 = Date.parse("2026-03-30T21:00:00Z");
const MIN = 60_000;

/** Contiguous deltas with irregular intervals (1 min – 2 days), so many cross hour/day/month boundaries. */
const deltasArb = fc
  .array(fc.tuple(fc.integer({ min: 1, max: 2 * 1440 }), fc.double({ min: 0, max: 5_000, noNaN: true })), {
    maxLength: 40,
  })
  .map((parts) => {
    let t = T0;
    return parts.map(([minutes, volumeM3]): ConsumptionDelta => {
      const from = new Date(t);
      t += minutes * MIN;
      return { from, to: new Date(t), volumeM3, kind: "normal" };
    });
  });

const bucketFnArb = fc
  .tuple(fc.constantFrom<BucketSize>("15min", "hour", "day", "month"), fc.constantFrom(0, -240, -180, 330))
  .map(([size, offset]) => ({ size, offset, fn: offsetBucketStart(size, offset) }));

describe("bucketed consumption", () => {
  it("(c) total consumption equals the sum of bucketed consumption", () => {
    fc.assert(
      fc.property(deltasArb, bucketFnArb, (deltas, { fn }) => {
        const buckets = bucketConsumption(deltas, fn);
        const total = totalConsumptionM3(deltas);
        const summed = buckets.reduce((s, b) => s + b.volumeM3, 0);
        expect(Math.abs(summed - total)).toBeLessThanOrEqual(1e-9 * Math.max(1, total));
        for (const b of buckets) expect(b.volumeM3).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 200 },
    );
  });

  it("buckets are sorted, unique, aligned by bucketStart and never receive volume outside their delta span", () => {
    fc.assert(
      fc.property(deltasArb, bucketFnArb, (deltas, { fn }) => {
        const buckets = bucketConsumption(deltas, fn);
        const starts = buckets.map((b) => b.bucketStart.getTime());
        expect(starts).toEqual([...new Set(starts)].sort((a, b) => a - b));
        for (const b of buckets) expect(fn(b.bucketStart).getTime()).toBe(b.bucketStart.getTime());
        if (deltas.length) {
          expect(starts[0]).toBe(fn(new Date(deltas[0]!.from.getTime())).getTime());
          expect(starts.at(-1)).toBeLessThan(deltas.at(-1)!.to.getTime());
        }
      }),
    );
  });

  it("(c) holds end-to-end from an out-of-order totalizer series", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 5, max: 180 }), fc.integer({ min: 0, max: 600 })), {
          minLength: 2,
          maxLength: 50,
        }),
        fc.constantFrom<BucketSize>("hour", "day", "month"),
        (steps, size) => {
          let t = T0;
          let v = 512_000;
          const rows: SeriesRow[] = steps.map(([minutes, inc]) => {
            t += minutes * MIN;
            v += inc;
            return { ts: new Date(t), value: v, rawValue: String(v), quality: "ok", reason: null };
          });
          const deltas = consumptionDeltas(assessSeries([...rows].reverse(), "totalizer", { maxRateLps: null }));
          const summed = bucketConsumption(deltas, offsetBucketStart(size, -240)).reduce((s, b) => s + b.volumeM3, 0);
          expect(summed).toBeCloseTo(v - rows[0]!.value!, 6);
        },
      ),
    );
  });
});
