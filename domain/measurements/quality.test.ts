import { describe, expect, it } from "vitest";
import {
  QUALITY,
  QUALITY_LABEL_ES,
  QUALITY_NAMES,
  codeOf,
  countsForConsumption,
  isTrustedValue,
  labelOf,
  nameOf,
  worse,
  worstOf,
} from "@/domain/measurements/quality";

describe("quality codes", () => {
  it("keeps the stored smallint codes stable", () => {
    expect(QUALITY).toEqual({
      ok: 0,
      suspect: 1,
      error_code: 2,
      out_of_range: 3,
      spike: 4,
      frozen: 5,
      reset: 6,
      rollover: 7,
      gap: 8,
      future: 9,
      duplicate_conflict: 10,
      unparseable: 11,
    });
  });

  it("round-trips every name through its code", () => {
    for (const n of QUALITY_NAMES) expect(nameOf(codeOf(n))).toBe(n);
  });

  it("throws on an unknown code", () => {
    expect(() => nameOf(99)).toThrow(RangeError);
  });

  it("has a distinct Spanish label per quality", () => {
    expect(new Set(Object.values(QUALITY_LABEL_ES)).size).toBe(QUALITY_NAMES.length);
    expect(labelOf("spike")).toBe("Pico");
    expect(labelOf(5)).toBe("Totalizador congelado");
    expect(labelOf("error_code")).toBe("Código de error del equipo");
  });
});

describe("severity", () => {
  it("is commutative and picks the more severe quality", () => {
    for (const a of QUALITY_NAMES) for (const b of QUALITY_NAMES) expect(worse(a, b)).toBe(worse(b, a));
    expect(worse("ok", "spike")).toBe("spike");
    expect(worse("error_code", "suspect")).toBe("error_code");
    expect(worstOf([])).toBe("ok");
    expect(worstOf(["gap", "reset", "ok"])).toBe("reset");
  });

  it("separates trusted, consumption-grade and unusable qualities", () => {
    expect(isTrustedValue("frozen")).toBe(true);
    expect(countsForConsumption("frozen")).toBe(false);
    for (const q of ["ok", "gap", "reset", "rollover", "duplicate_conflict"] as const)
      expect(countsForConsumption(q)).toBe(true);
    for (const q of ["suspect", "spike", "out_of_range", "future", "error_code", "unparseable"] as const) {
      expect(isTrustedValue(q)).toBe(false);
      expect(countsForConsumption(q)).toBe(false);
    }
  });
});
