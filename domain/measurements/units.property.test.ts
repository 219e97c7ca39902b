import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RAW_UNITS } from "@/domain/measurements/types";
import {
  UNIT_VARIABLE,
  convertFromCanonical,
  convertToCanonical,
  parseProviderNumber,
  toCanonical,
} from "@/domain/units";

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));

describe("unit round trips", () => {
  it("(d) fromCanonical(toCanonical(x)) ≈ x for every unit", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...RAW_UNITS),
        fc.double({ min: 0, max: 1e9, noNaN: true }),
        fc.double({ min: 0.01, max: 10_000, noNaN: true }),
        (unit, x, pulseFactorL) => {
          expect(close(convertFromCanonical(convertToCanonical(x, unit, pulseFactorL), unit, pulseFactorL), x)).toBe(
            true,
          );
          expect(close(convertToCanonical(convertFromCanonical(x, unit, pulseFactorL), unit, pulseFactorL), x)).toBe(
            true,
          );
        },
      ),
    );
  });

  it("(d) a canonical value written in any unit of its family and parsed back gives the same canonical value", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...RAW_UNITS),
        fc.double({ min: 0.001, max: 1e6, noNaN: true }),
        fc.boolean(),
        (unit, canonical, comma) => {
          const setup = { levelMode: "direct" as const, pulseFactorL: 10 };
          const raw = String(convertFromCanonical(canonical, unit, setup.pulseFactorL));
          const sent = comma && !raw.includes("e") ? raw.replace(".", ",") : raw;
          const r = toCanonical({ variable: UNIT_VARIABLE[unit], key: "k", unit }, sent, setup);
          expect(r.flag).toBe("ok");
          expect(close(r.value!, canonical)).toBe(true);
        },
      ),
    );
  });

  it("parseProviderNumber reads back any finite number's string form, with dot or comma", () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        const s = String(x);
        expect(parseProviderNumber(s)).toEqual({ ok: true, value: x === 0 ? Number(s) : x });
        expect(parseProviderNumber(s.replace(".", ","))).toEqual({ ok: true, value: x === 0 ? Number(s) : x });
      }),
    );
  });

  it("negative flow is never clamped and negative totalizer/level never become a number", () => {
    fc.assert(
      fc.property(fc.constantFrom(...RAW_UNITS), fc.double({ min: -1e6, max: -1e-6, noNaN: true }), (unit, x) => {
        const r = toCanonical({ variable: UNIT_VARIABLE[unit], key: "k", unit }, x, {
          levelMode: "direct",
          pulseFactorL: 10,
        });
        if (UNIT_VARIABLE[unit] === "flow") {
          expect(r.flag).toBe("suspect");
          expect(r.value!).toBeLessThan(0);
        } else {
          expect(r).toMatchObject({ value: null, flag: "error_code" });
        }
      }),
    );
  });
});
