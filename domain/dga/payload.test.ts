import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AppError } from "@/domain/errors";
import { DEFAULT_STANDARDS } from "./standards";
import {
  buildRequest,
  formatAltura,
  formatCaudal,
  formatNivel,
  formatTotalizador,
  measurementOf,
  redactRequest,
  type BuildRequestInput,
} from "./payload";

const base: BuildRequestInput = {
  kind: "groundwater",
  obraCode: "OB-0602-7",
  values: { flowLps: 12.5, totalizerM3: 1_234_567.89, levelM: 35.7, heightCm: null },
  slotAt: new Date("2026-06-09T14:00:00Z"),
  rule: DEFAULT_STANDARDS.mayor,
  informante: { rut: "12.345.678-5", password: "s3cret" },
  centroControlRut: "76455593-7",
  now: new Date("2026-06-09T14:03:21Z"),
};

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (e) {
    return AppError.is(e) ? e.code : "not-app-error";
  }
  return undefined;
};

describe("buildRequest", () => {
  it("builds the groundwater request exactly", () => {
    expect(buildRequest(base)).toEqual({
      method: "POST",
      path: "/mediciones/subterraneas",
      headers: {
        codigoObra: "OB-0602-7",
        timeStampOrigen: "2026-06-09T10:03:21-0000",
        "Content-Type": "application/json",
      },
      body: {
        autenticacion: { password: "s3cret", rutEmpresa: "76455593-7", rutUsuario: "12345678-5" },
        medicionSubterranea: {
          caudal: "12.50",
          fechaMedicion: "2026-06-09",
          horaMedicion: "10:00:00",
          nivelFreaticoDelPozo: "35.70",
          totalizador: "1234567",
        },
      },
    });
  });

  it("builds the surface request (height in integer cm, no totalizer)", () => {
    const req = buildRequest({
      ...base,
      kind: "surface",
      obraCode: "OB-0303-204",
      values: { flowLps: 250, totalizerM3: 9, levelM: null, heightCm: 42.000000001 },
    });
    expect(req.path).toBe("/mediciones/superficiales");
    expect(req.body).toEqual({
      autenticacion: { password: "s3cret", rutEmpresa: "76455593-7", rutUsuario: "12345678-5" },
      medicionSuperficial: {
        alturaLimnimetrica: "42",
        caudal: "250.00",
        fechaMedicion: "2026-06-09",
        horaMedicion: "10:00:00",
      },
    });
  });

  it("builds the flowmeter request (no level)", () => {
    const req = buildRequest({ ...base, kind: "surface_flowmeter", obraCode: "OR-0101-108" });
    expect(req.path).toBe("/mediciones/superficiales/flujometro");
    expect(measurementOf(req.body)).toEqual({
      caudal: "12.50",
      fechaMedicion: "2026-06-09",
      horaMedicion: "10:00:00",
      totalizador: "1234567",
    });
  });

  it("sends an empty level only when the standard allows it", () => {
    const values = { ...base.values, levelM: null };
    expect(codeOf(() => buildRequest({ ...base, values }))).toBe("INVALID_PAYLOAD");
    const req = buildRequest({ ...base, values, rule: DEFAULT_STANDARDS.muy_pequenos });
    expect(measurementOf(req.body)).toMatchObject({ nivelFreaticoDelPozo: "" });
  });

  it.each<[string, Partial<BuildRequestInput>, string]>([
    ["missing obra", { obraCode: null }, "DGA_CONFIG_MISSING"],
    ["padded obra correlative", { obraCode: "OB-0602-07" }, "DGA_CONFIG_MISSING"],
    ["manual's sample informante RUT", { informante: { rut: "20999888-7", password: "x" } }, "DGA_CONFIG_MISSING"],
    ["manual's sample Centro de Control RUT", { centroControlRut: "77555666-7" }, "DGA_CONFIG_MISSING"],
    ["missing password", { informante: { rut: "12345678-5", password: "" } }, "DGA_CONFIG_MISSING"],
    ["negative flow", { values: { ...base.values, flowLps: -0.001 } }, "INVALID_PAYLOAD"],
    ["missing flow", { values: { ...base.values, flowLps: null } }, "INVALID_PAYLOAD"],
    ["missing totalizer", { values: { ...base.values, totalizerM3: null } }, "INVALID_PAYLOAD"],
    ["16-digit totalizer", { values: { ...base.values, totalizerM3: 1e15 } }, "INVALID_PAYLOAD"],
    ["NaN flow", { values: { ...base.values, flowLps: Number.NaN } }, "INVALID_PAYLOAD"],
  ])("refuses %s", (_label, over, code) => {
    expect(codeOf(() => buildRequest({ ...base, ...over }))).toBe(code);
  });

  it("redacts the password without touching the original", () => {
    const req = buildRequest(base);
    const redacted = redactRequest(req);
    expect(redacted.body.autenticacion).toEqual({
      password: "****",
      rutEmpresa: "76455593-7",
      rutUsuario: "12345678-5",
    });
    expect(req.body.autenticacion.password).toBe("s3cret");
    expect(JSON.stringify(redacted)).not.toContain("s3cret");
  });
});

describe("field formatting", () => {
  it("formats numbers, never strings", () => {
    expect(formatCaudal(0)).toBe("0.00");
    expect(formatCaudal(-0)).toBe("0.00");
    expect(formatCaudal(1234.5)).toBe("1234.50");
    expect(formatTotalizador(999_999_999_999_999.9)).toBe("999999999999999");
    expect(formatTotalizador(1010.99)).toBe("1010");
    expect(formatNivel(-0.001, false)).toBe("0.00");
    expect(formatNivel(-1.5, false)).toBe("-1.50");
    expect(formatAltura(null, true)).toBe("");
    expect(formatAltura(12.5, false)).toBe("13");
    expect(codeOf(() => formatCaudal("12.5" as unknown as number))).toBe("INVALID_PAYLOAD");
    expect(codeOf(() => formatCaudal(1e21))).toBe("INVALID_PAYLOAD");
    expect(codeOf(() => formatTotalizador(Infinity))).toBe("INVALID_PAYLOAD");
  });

  it("property: caudal/nivel never exceed 2 decimals; totalizador is an integer of ≤ 15 chars or an error", () => {
    const anyNumber = fc.oneof(
      fc.double({ noNaN: false }),
      fc.double({ min: 0, max: 1e16 }),
      fc.integer({ min: -1, max: 2 ** 53 }),
    );
    fc.assert(
      fc.property(anyNumber, anyNumber, anyNumber, (flow, total, level) => {
        const attempt = (fn: () => string): string | null => {
          try {
            return fn();
          } catch (e) {
            expect(AppError.is(e, "INVALID_PAYLOAD")).toBe(true);
            return null;
          }
        };
        const caudal = attempt(() => formatCaudal(flow));
        if (caudal !== null) expect(caudal).toMatch(/^\d+\.\d{2}$/);
        const nivel = attempt(() => formatNivel(level, false));
        if (nivel !== null) expect(nivel).toMatch(/^-?\d+\.\d{2}$/);
        const totalizador = attempt(() => formatTotalizador(total));
        if (totalizador !== null) {
          expect(totalizador).toMatch(/^\d{1,15}$/);
          expect(Number(totalizador)).toBeLessThanOrEqual(total);
          expect(total - Number(totalizador)).toBeLessThan(1);
        } else {
          expect(!(total >= 0) || total >= 1e15).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
