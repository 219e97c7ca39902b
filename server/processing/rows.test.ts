import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { normalizeReadings } from "@/domain/measurements/normalize";
import { deriveWaterTable } from "@/domain/units";
import { RAW_UNITS, type RawReading, type VariableMapping } from "@/domain/measurements/types";
import type { StoredRow } from "@/server/timeseries/types";
import { readingsToRows } from "./rows";

const NOW = Date.parse("2026-03-10T12:00:00Z");
const TOL = 5 * 60_000;
const UNITS_FOR = { flow: ["L/s", "m3/h", "L/min"], totalizer: ["m3", "L", "pulses"], level: ["m", "cm"] } as const;

const mapping: fc.Arbitrary<VariableMapping> = fc.constantFrom("flow", "totalizer", "level").chain((variable) =>
  fc.record({
    variable: fc.constant(variable),
    key: fc.constantFrom("a", "b", "c"),
    // A unit of another family now and then, to exercise the mismatch path.
    unit: fc.oneof(fc.constantFrom(...UNITS_FOR[variable]), fc.constantFrom(...RAW_UNITS)),
    scale: fc.option(fc.constantFrom(1, 2.5, 0, -1), { nil: undefined }),
  }),
);
const setupArb = fc.record({
  levelMode: fc.constantFrom("direct" as const, "depth_from_install" as const),
  sensorInstallDepthM: fc.option(fc.constantFrom(10, 50), { nil: null }),
  pulseFactorL: fc.option(fc.constantFrom(1, 10, 0), { nil: null }),
});
const reading: fc.Arbitrary<RawReading> = fc.record({
  deviceRef: fc.constant("d"),
  key: fc.constantFrom("a", "b", "c", "x"),
  measuredAt: fc.oneof(
    fc.integer({ min: NOW - 86_400_000, max: NOW + 86_400_000 }).map((t) => new Date(t)),
    fc.constant(new Date(NaN)),
  ),
  rawValue: fc.oneof(
    fc.double({ noNaN: false }),
    fc.constantFrom(0, -9999, -1, 12.5, "12,5", "abc", "", " 7 ", true, null),
  ),
  rawUnit: fc.option(fc.constantFrom(...RAW_UNITS, "M³", " l/S ", "bogus"), { nil: null }),
});

describe("readingsToRows", () => {
  it("gives exactly what normalizeReadings gives, as stored rows", () => {
    fc.assert(
      fc.property(
        fc.array(reading, { maxLength: 30 }),
        fc.array(mapping, { maxLength: 4 }),
        setupArb,
        (readings, mappings, setup) => {
          const n = normalizeReadings(readings, mappings, setup, {
            pointId: 7,
            source: "tago",
            now: new Date(NOW),
            futureToleranceMs: TOL,
          });
          const expected: StoredRow[] = n.rows.map((c) => ({
            ...c,
            baseQuality: c.quality,
            baseReason: c.reason,
            rawId: "42",
          }));
          const out: StoredRow[] = [];
          const invalid = readingsToRows(
            readings,
            mappings,
            setup,
            { pointId: 7, source: "tago", rawId: "42", futureLimitMs: NOW + TOL },
            out,
          );
          expect(out).toEqual(expected);
          expect(invalid).toBe(n.rejected.length);
        },
      ),
      { numRuns: 500 },
    );
  });

  it("derives every water_table row from the level row before it exactly as deriveWaterTable does", () => {
    fc.assert(
      fc.property(
        fc.array(reading, { maxLength: 30 }),
        fc.array(mapping, { maxLength: 4 }),
        setupArb,
        (readings, mappings, setup) => {
          const out: StoredRow[] = [];
          readingsToRows(
            readings,
            mappings,
            setup,
            { pointId: 7, source: "tago", rawId: null, futureLimitMs: NOW + TOL },
            out,
          );
          out.forEach((row, i) => {
            if (row.variable !== "water_table") return;
            const level = out[i - 1]!;
            expect(level.variable).toBe("level");
            expect(level.ts).toEqual(row.ts);
            const wt = deriveWaterTable({ value: level.value, flag: level.quality, reason: level.reason }, setup);
            expect({ value: row.value, flag: row.quality, reason: row.reason }).toEqual(wt);
          });
          const derivable = out.filter(
            (r) =>
              r.variable === "level" &&
              deriveWaterTable({ value: r.value, flag: r.quality, reason: r.reason }, setup) !== null,
          );
          expect(out.filter((r) => r.variable === "water_table").length).toBe(derivable.length);
        },
      ),
      { numRuns: 500 },
    );
  });
});
