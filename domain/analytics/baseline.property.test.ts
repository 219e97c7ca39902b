import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { buildProfile, effectiveSigma, evaluateBaseline, mad, BaselineOptionsSchema } from "./baseline";
import { median } from "@/domain/stats";

const H = 3600_000;
const start = Date.UTC(2026, 0, 5);
const values = fc.array(fc.double({ min: 0, max: 500, noNaN: true }), { minLength: 1, maxLength: 60 });

describe("baseline properties", () => {
  it("median lies within [min, max] and mad is non-negative", () => {
    fc.assert(
      fc.property(values, (v) => {
        const m = median(v);
        expect(m).toBeGreaterThanOrEqual(Math.min(...v));
        expect(m).toBeLessThanOrEqual(Math.max(...v));
        expect(mad(v)).toBeGreaterThanOrEqual(0);
      }),
    );
  });

  it("never flags a value equal to its slot's median, always flags one far beyond the threshold", () => {
    const opts = BaselineOptionsSchema.parse({});
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 100, noNaN: true }), { minLength: 4 * 7 * 24, maxLength: 4 * 7 * 24 }),
        fc.integer({ min: 0, max: 167 }),
        (series, k) => {
          const training = series.map((value, i) => ({ bucket: new Date(start + i * H), value }));
          const profile = buildProfile(training);
          const bucket = new Date(start + (4 * 7 * 24 + k) * H);
          const sameSlot = training
            .filter((s) => (s.bucket.getTime() - bucket.getTime()) % (7 * 24 * H) === 0)
            .map((s) => s.value);
          const med = median(sameSlot);
          expect(evaluateBaseline(profile, [{ bucket, value: med }], "flow")).toEqual([]);
          const sigma = effectiveSigma({ median: med, mad: mad(sameSlot), n: sameSlot.length }, opts);
          const far = evaluateBaseline(profile, [{ bucket, value: med + (opts.threshold + 1) * sigma }], "flow");
          expect(far).toHaveLength(1);
          expect(far[0]!.direction).toBe("high");
        },
      ),
      { numRuns: 40 },
    );
  });

  it("is invariant to the order of the training samples", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 100, noNaN: true }), { minLength: 200, maxLength: 400 }),
        fc.double({ min: 0, max: 300, noNaN: true }),
        (series, probe) => {
          const training = series.map((value, i) => ({ bucket: new Date(start + i * H), value }));
          const recent = [{ bucket: new Date(start + 10_000 * H), value: probe }];
          const a = evaluateBaseline(buildProfile(training), recent, "flow");
          const b = evaluateBaseline(buildProfile([...training].reverse()), recent, "flow");
          expect(b).toEqual(a);
        },
      ),
      { numRuns: 30 },
    );
  });
});
