import { describe, expect, it } from "vitest";
import { compareReceiptData, consultUrl } from "./receipt";

describe("consultUrl", () => {
  it("points at the GET of the right kind", () => {
    expect(consultUrl("groundwater", "OB-0602-7", "m1KB1FK3bp0OFxTxwVXDcKaWogTiKOqr")).toBe(
      "https://apimee.mop.gob.cl/api/v1/mediciones/subterraneas?codigoObra=OB-0602-7&numeroComprobante=m1KB1FK3bp0OFxTxwVXDcKaWogTiKOqr",
    );
    expect(consultUrl("surface_flowmeter", "OB-0101-108", "R1", "http://127.0.0.1:4010/api/v1/")).toBe(
      "http://127.0.0.1:4010/api/v1/mediciones/superficiales/flujometro?codigoObra=OB-0101-108&numeroComprobante=R1",
    );
  });
});

describe("compareReceiptData", () => {
  const sent = {
    caudal: "25.70",
    fechaMedicion: "2026-06-09",
    horaMedicion: "10:00:00",
    nivelFreaticoDelPozo: "0.00",
    totalizador: "1010",
  };
  it("matches MEE's echo: DD-MM-YYYY and trailing zeros dropped", () => {
    expect(
      compareReceiptData(sent, {
        caudal: "25.7",
        fechaMedicion: "09-06-2026",
        horaMedicion: "10:00:00",
        nivelFreaticoDelPozo: "0.0",
        totalizador: "1010",
      }),
    ).toEqual({ match: true, diffs: [] });
  });
  it("reports numeric and date differences", () => {
    const got = {
      caudal: "25.71",
      fechaMedicion: "10-06-2026",
      horaMedicion: "11:00:00",
      nivelFreaticoDelPozo: "0.0",
      totalizador: 1011,
    };
    expect(compareReceiptData(sent, got).diffs.map((d) => d.field)).toEqual([
      "caudal",
      "fechaMedicion",
      "horaMedicion",
      "totalizador",
    ]);
  });
  it("treats an empty level as a mismatch only when both sides have a value", () => {
    expect(
      compareReceiptData(
        { ...sent, nivelFreaticoDelPozo: "" },
        { ...sent, fechaMedicion: "09-06-2026", nivelFreaticoDelPozo: "9.85" },
      ).match,
    ).toBe(true);
    expect(compareReceiptData(sent, { ...sent, nivelFreaticoDelPozo: "" }).match).toBe(true);
    expect(compareReceiptData(sent, { ...sent, nivelFreaticoDelPozo: "9.85" }).diffs).toEqual([
      { field: "nivelFreaticoDelPozo", sent: "0.00", got: "9.85" },
    ]);
  });
  it("flags missing required fields and empty GET data", () => {
    expect(compareReceiptData(sent, { ...sent, totalizador: "" }).diffs.map((d) => d.field)).toEqual(["totalizador"]);
    expect(compareReceiptData(sent, null).diffs.map((d) => d.field)).toEqual([
      "caudal",
      "fechaMedicion",
      "horaMedicion",
      "totalizador",
    ]);
  });
});
