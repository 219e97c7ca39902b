import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { formatRut, isValidRut, normalizeRut, rutCheckDigit } from "./rut";
import { isValidObraCode } from "./obra";

describe("RUT (módulo 11)", () => {
  it("accepts real company RUTs in any common shape and normalises them", () => {
    expect(normalizeRut("76.455.593-7")).toBe("76455593-7");
    expect(normalizeRut("764555937")).toBe("76455593-7");
    expect(normalizeRut(" 76944359-2 ")).toBe("76944359-2");
    expect(normalizeRut("12.345.678-5")).toBe("12345678-5");
  });

  it("rejects the manual's sample RUTs, whose check digits are wrong", () => {
    expect(isValidRut("77555666-7")).toBe(false);
    expect(isValidRut("20999888-7")).toBe(false);
    expect(rutCheckDigit("77555666")).toBe("8");
    expect(rutCheckDigit("20999888")).toBe("2");
  });

  it("handles K and 0 check digits", () => {
    expect(rutCheckDigit("10000013")).toBe("K");
    expect(normalizeRut("10000013-k")).toBe("10000013-K");
    expect(rutCheckDigit("10000004")).toBe("0");
  });

  it("rejects garbage", () => {
    for (const s of ["", "abc", "76455593-", "-7", "76455593-X", "7645559377777-1"]) expect(normalizeRut(s)).toBeNull();
  });

  it("formats for display with dots", () => {
    expect(formatRut("76455593-7")).toBe("76.455.593-7");
  });

  it("every body with its computed digit is valid, and any other digit is not (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1_000_000, max: 99_999_999 }),
        fc.constantFrom(..."0123456789K".split("")),
        (body, d) => {
          const dv = rutCheckDigit(String(body));
          expect(isValidRut(`${body}-${dv}`)).toBe(true);
          if (d !== dv) expect(isValidRut(`${body}-${d}`)).toBe(false);
        },
      ),
    );
  });
});

describe("DGA obra code", () => {
  it("follows OB|OR-RRPP-N with an unpadded correlative", () => {
    for (const ok of ["OB-0602-7", "OB-0601-292", "OR-0101-108"]) expect(isValidObraCode(ok)).toBe(true);
    for (const bad of ["OB-602-7", "OX-0602-7", "OB-0602-07", "OB-0602-", "ob-0602-7", "ND-1203-719"])
      expect(isValidObraCode(bad)).toBe(false);
  });
});
