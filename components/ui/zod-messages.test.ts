import { describe, expect, it } from "vitest";
import { z } from "zod";
import { validate } from "./zod-form";

describe("form messages", () => {
  it("speaks plain Spanish with es-CL numbers", () => {
    const schema = z.object({
      name: z.string().min(2),
      flowLps: z.number().min(0.5),
      email: z.string().email(),
      count: z.number().int(),
      tags: z.array(z.string()).min(1),
    });
    const r = validate(schema, { name: "a", flowLps: 0.1, email: "x", count: 1.5, tags: [] });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual({
      name: "Mínimo 2 caracteres",
      flowLps: "Debe ser 0,5 o más",
      email: "Ingrese un correo válido (nombre@dominio.cl)",
      count: "Ingrese un número entero",
      tags: "Elija al menos 1 opción",
    });
  });
  it("keeps a schema's own message", () => {
    const r = validate(z.object({ name: z.string().min(2, "Mínimo dos letras") }), { name: "" });
    expect(r.ok ? null : r.errors.name).toBe("Mínimo dos letras");
  });
});
