import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { assessSeries, type SeriesRow } from "@/domain/measurements/assess";
import { QUALITY_SEVERITY } from "@/domain/measurements/quality";
import { consumptionDeltas, totalConsumptionM3 } from "@/domain/measurements/consumption";

const T0 = Date.parse("2026-11-01T03:00:00Z");
const STEP = 15 * 60_000;
const ROLLOVER_M3 = 1_000_000;
const cfg = { rolloverM3: ROLLOVER_M3 };

const row = (tsMs: number, value: number | null, extra: Partial<SeriesRow> = {}): SeriesRow => ({
  ts: new Date(tsMs),
  value,
  rawValue: value === null ? null : String(value),
  quality: "ok",
  reason: null,
  ...extra,
});

const stepArb = fc.oneof(
  { weight: 12, arbitrary: fc.record({ kind: fc.constant("normal" as const), inc: fc.integer({ min: 0, max: 40 }) }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant("glitch" as const), value: fc.integer({ min: 1, max: 900_000 }) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("reset" as const), to: fc.integer({ min: 1, max: 5_000 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("error" as const) }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant("conflict" as const), delta: fc.integer({ min: 1, max: 500 }) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("gap" as const), skip: fc.integer({ min: 4, max: 40 }) }) },
);

/** Realistic totalizer series (m3): steady growth with glitches, resets, error codes, same-ts conflicts, gaps and, optionally, a rollover. */
const totalizerSeriesArb = fc
  .record({
    start: fc.oneof(
      fc.integer({ min: 3_000, max: 900_000 }),
      fc.integer({ min: ROLLOVER_M3 - 600, max: ROLLOVER_M3 - 1 }),
    ),
    steps: fc.array(stepArb, { minLength: 2, maxLength: 60 }),
  })
  .map(({ start, steps }) => {
    const rows: SeriesRow[] = [];
    let cur = start;
    let t = T0;
    rows.push(row(t, cur));
    for (const s of steps) {
      t += STEP;
      switch (s.kind) {
        case "normal":
          cur += s.inc;
          if (cur >= ROLLOVER_M3) cur -= ROLLOVER_M3;
          rows.push(row(t, cur));
          break;
        case "glitch":
          rows.push(row(t, s.value));
          break;
        case "reset":
          cur = s.to;
          rows.push(row(t, cur));
          break;
        case "error":
          rows.push(row(t, null, { rawValue: "-9999", quality: "error_code", reason: "logger error code -9999" }));
          break;
        case "conflict":
          rows.push(row(t, cur), row(t, cur + s.delta));
          break;
        case "gap":
          t += s.skip * STEP;
          rows.push(row(t, cur));
          break;
      }
    }
    return rows;
  });

/** A flow series in L/s (0–80) with occasional outliers and same-ts conflicts. */
const flowSeriesArb = fc
  .array(fc.oneof(fc.double({ min: 0, max: 80, noNaN: true }), fc.constant(250)), { minLength: 1, maxLength: 50 })
  .map((vs) =>
    vs.flatMap((v, k) => (k % 7 === 3 ? [row(T0 + k * STEP, v), row(T0 + k * STEP, v + 1)] : [row(T0 + k * STEP, v)])),
  );

/** The same rows in another order, with some of them repeated. */
const reorderedArb = (rows: SeriesRow[]) =>
  fc
    .tuple(
      fc.shuffledSubarray(rows, { minLength: rows.length, maxLength: rows.length }),
      fc.array(fc.nat({ max: rows.length - 1 }), { maxLength: 10 }),
    )
    .map(([perm, dups]) => [...perm, ...dups.map((i) => ({ ...rows[i]! }))]);

describe("property generators", () => {
  it("totalizer series are non-empty, time-ordered and realistic", () => {
    fc.assert(
      fc.property(totalizerSeriesArb, (rows) => {
        expect(rows.length).toBeGreaterThanOrEqual(3);
        for (let k = 1; k < rows.length; k++)
          expect(rows[k]!.ts.getTime()).toBeGreaterThanOrEqual(rows[k - 1]!.ts.getTime());
        for (const r of rows) {
          if (r.value === null) continue;
          expect(r.value).toBeGreaterThanOrEqual(0);
          expect(r.value).toBeLessThanOrEqual(ROLLOVER_M3 + 500);
        }
      }),
    );
  });

  it("exercise every totalizer rule, so the properties below are not vacuous", () => {
    const seen = new Set<string>();
    for (const rows of fc.sample(totalizerSeriesArb, { numRuns: 400, seed: 42 })) {
      for (const r of assessSeries(rows, "totalizer", cfg).rows) seen.add(r.quality);
    }
    for (const q of ["ok", "reset", "rollover", "suspect", "spike", "duplicate_conflict", "error_code"])
      expect(seen).toContain(q);
  });

  it("reordering keeps the same set of rows", () => {
    fc.assert(
      fc.property(
        flowSeriesArb.chain((rows) => fc.tuple(fc.constant(rows), reorderedArb(rows))),
        ([rows, re]) => {
          const key = (r: SeriesRow) => `${r.ts.getTime()}|${r.value}`;
          expect(new Set(re.map(key))).toEqual(new Set(rows.map(key)));
          expect(re.length).toBeGreaterThanOrEqual(rows.length);
        },
      ),
    );
  });
});

describe("assessment is a function of the set of readings", () => {
  it("(a) totalizer: any permutation and duplication gives the same assessment and consumption", () => {
    fc.assert(
      fc.property(
        totalizerSeriesArb.chain((rows) => fc.tuple(fc.constant(rows), reorderedArb(rows))),
        ([rows, reordered]) => {
          const a = assessSeries(rows, "totalizer", cfg);
          const b = assessSeries(reordered, "totalizer", cfg);
          expect(b).toEqual(a);
          expect(consumptionDeltas(b, cfg)).toEqual(consumptionDeltas(a, cfg));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("(a) totalizer with a flow series: frozen detection is order-independent too", () => {
    fc.assert(
      fc.property(
        totalizerSeriesArb.chain((rows) => fc.tuple(fc.constant(rows), reorderedArb(rows))),
        fc.array(fc.integer({ min: 0, max: 60 }), { minLength: 5, maxLength: 60 }),
        ([rows, reordered], flowValues) => {
          const flow = flowValues.map((v, k) => row(T0 + k * STEP, v));
          const a = assessSeries(rows, "totalizer", cfg, { flow });
          const b = assessSeries(reordered, "totalizer", cfg, { flow: [...flow].reverse() });
          expect(b).toEqual(a);
        },
      ),
    );
  });

  it("(a) flow: any permutation and duplication gives the same assessment", () => {
    fc.assert(
      fc.property(
        flowSeriesArb.chain((rows) => fc.tuple(fc.constant(rows), reorderedArb(rows))),
        ([rows, reordered]) => {
          expect(assessSeries(reordered, "flow", { grantedFlowLps: 50 })).toEqual(
            assessSeries(rows, "flow", { grantedFlowLps: 50 }),
          );
        },
      ),
    );
  });

  it("every distinct timestamp yields exactly one row, sorted, and conflicts only for differing values", () => {
    fc.assert(
      fc.property(totalizerSeriesArb, (rows) => {
        const a = assessSeries(rows, "totalizer", cfg);
        const distinct = new Set(rows.map((r) => r.ts.getTime()));
        expect(a.rows.map((r) => r.ts.getTime())).toEqual([...distinct].sort((x, y) => x - y));
        for (const c of a.conflicts) {
          const w = a.rows.find((r) => r.ts.getTime() === c.ts.getTime())!;
          expect(w.value).not.toBe(c.value);
          expect(QUALITY_SEVERITY[w.quality]).toBeGreaterThanOrEqual(QUALITY_SEVERITY.duplicate_conflict);
          expect(w.reason).toMatch(/conflicting value/);
        }
      }),
    );
  });
});

describe("consumption across resets and rollovers", () => {
  it("(b) never produces a negative or non-finite delta", () => {
    fc.assert(
      fc.property(totalizerSeriesArb, fc.integer({ min: 2, max: 12 }), (rows, confirm) => {
        const c = { ...cfg, resetConfirmSamples: confirm };
        for (const d of consumptionDeltas(assessSeries(rows, "totalizer", c), c)) {
          expect(Number.isFinite(d.volumeM3)).toBe(true);
          expect(d.volumeM3).toBeGreaterThanOrEqual(0);
          expect(d.to.getTime()).toBeGreaterThan(d.from.getTime());
        }
      }),
      { numRuns: 300 },
    );
  });

  it("(b) arbitrary positive garbage never yields negative consumption", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0.001, max: 2e6, noNaN: true }), { minLength: 2, maxLength: 40 }), (vs) => {
        const rows = vs.map((v, k) => row(T0 + k * STEP, v));
        const deltas = consumptionDeltas(assessSeries(rows, "totalizer", cfg), cfg);
        expect(deltas.every((d) => d.volumeM3 >= 0)).toBe(true);
      }),
    );
  });

  it("a clean monotonic series consumes exactly last − first", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 3_000, max: 900_000 }),
        fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 1, maxLength: 50 }),
        (start, incs) => {
          let v = start;
          const rows = [row(T0, v), ...incs.map((inc, k) => row(T0 + (k + 1) * STEP, (v += inc)))];
          expect(totalConsumptionM3(consumptionDeltas(assessSeries(rows, "totalizer")))).toBe(v - start);
        },
      ),
    );
  });

  it("a confirmed reset adds the post-reset growth to the pre-reset growth", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 10_000, max: 900_000 }),
        fc.integer({ min: 1, max: 500 }),
        fc.integer({ min: 1, max: 40 }),
        (start, restart, inc) => {
          const before = [0, 1, 2].map((k) => row(T0 + k * STEP, start + k * inc));
          const after = Array.from({ length: 12 }, (_, k) => row(T0 + (k + 3) * STEP, restart + k * inc));
          const total = totalConsumptionM3(consumptionDeltas(assessSeries([...after, ...before], "totalizer")));
          expect(total).toBe(2 * inc + restart + 11 * inc);
        },
      ),
    );
  });
});
