import { z } from "zod";
import { normalizeRut } from "@/domain/rut";
import { isValidObraCode } from "@/domain/obra";

export const IdSchema = z.coerce.number().int().positive().max(2_147_483_647);
export const RutSchema = z
  .string()
  .trim()
  .transform((v, ctx) => {
    const n = normalizeRut(v);
    if (!n) {
      ctx.addIssue({ code: "custom", message: "RUT inválido (dígito verificador)" });
      return z.NEVER;
    }
    return n;
  });
export const ObraCodeSchema = z
  .string()
  .trim()
  .toUpperCase()
  .refine(isValidObraCode, "Código de obra inválido (formato OB-RRPP-N)");
export const EmailSchema = z.string().trim().toLowerCase().email("Correo inválido");
export const PageSchema = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});
