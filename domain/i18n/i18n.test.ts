import { describe, expect, it } from "vitest";
import { userErrorText } from "./errors";
import { auditActionLabel, scopeLabel, variableLabel } from "./labels";

describe("label catalogue", () => {
  it("names audit actions, scopes and variables in words", () => {
    expect(auditActionLabel("points.update")).toBe("Modificó punto");
    expect(auditActionLabel("dga.slot.fill")).toBe("Reporte DGA completado");
    expect(auditActionLabel("compliance.accept")).toBe("Aceptó un reporte DGA en revisión");
    expect(scopeLabel("measurements:read")).toBe("Leer mediciones");
    expect(variableLabel("water_table")).toBe("Nivel freático");
  });
});

describe("userErrorText", () => {
  it("turns technical errors into Spanish a user can act on", () => {
    expect(userErrorText("HTTP 503")).toBe("El servicio respondió con un error propio (HTTP 503); se reintentará.");
    expect(userErrorText("connect ECONNREFUSED 10.0.0.1:443")).toBe(
      "No fue posible conectarse con el servicio; se reintentará.",
    );
    expect(userErrorText("tdata: 401 Unauthorized")).toMatch(/credenciales/);
    expect(userErrorText("Sin datos para el mes")).toBe("Sin datos para el mes");
    expect(userErrorText("Cannot read properties of undefined")).toMatch(/^Error interno/);
  });
});
