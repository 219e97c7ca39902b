import { describe, expect, it } from "vitest";
import { scanText } from "./text-scan";

describe("scanText", () => {
  it("finds today's English alert texts and point decimals", () => {
    const f = scanText("Caudal negativo (-0.28 L/s) · 7 pico(s) en flow / water_table · Totalizador: 5003 en pulses");
    expect(f.map((x) => `${x.kind}:${x.match}`).sort()).toEqual(
      ["code:water_table", "english:flow", "english:pulses", "english:water_table", "point-decimal:0.2"].sort(),
    );
  });
  it("lets Spanish, es-CL numbers, dates, times, IPs and e-mail addresses pass", () => {
    expect(
      scanText(
        "Caudal negativo (-0,28 L/s) · 2 picos en nivel freático · 03-12-2026 14:05 · 2.062 / 3.169.368 m³ · RUT 76.455.593-7 · 10.0.0.1 · gestor@agricola_andes.cl · Código de error · Información",
      ),
    ).toEqual([]);
  });
});
