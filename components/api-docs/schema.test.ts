import { describe, expect, it } from "vitest";
import { exampleOf, fieldRows, typeText } from "./schema";

describe("API reference schema text", () => {
  it("describes types in Spanish", () => {
    expect(typeText({ type: "integer", exclusiveMinimum: 0, maximum: 2147483647 })).toBe("entero > 0");
    expect(typeText({}, "from")).toBe("fecha y hora ISO 8601 (UTC)");
    expect(typeText({ anyOf: [{ type: "number", minimum: 0 }, { type: "null" }] })).toBe("número ≥ 0 o nulo");
    expect(typeText({ type: "array", items: { type: "string", enum: ["flow", "level"] }, minItems: 1 })).toBe(
      "lista de uno de: flow, level (al menos 1)",
    );
    expect(typeText({ type: "string", minLength: 2, maxLength: 120 })).toBe("texto (2 a 120 caracteres)");
  });
  it("builds an example body from the required fields", () => {
    const body = {
      type: "object",
      required: ["name", "kind", "grantedFlowLps"],
      properties: {
        name: { type: "string", minLength: 2 },
        kind: { type: "string", enum: ["groundwater", "surface"] },
        grantedFlowLps: { anyOf: [{ type: "number", minimum: 0 }, { type: "null" }] },
        obraCode: { type: ["string", "null"] },
      },
    };
    expect(exampleOf(body)).toEqual({ name: "Pozo 1", kind: "groundwater", grantedFlowLps: 12.5 });
    expect(fieldRows(body).map((r) => `${r.name}${r.required ? "*" : ""}`)).toEqual([
      "name*",
      "kind*",
      "grantedFlowLps*",
      "obraCode",
    ]);
  });
});
