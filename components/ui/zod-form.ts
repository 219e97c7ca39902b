import { z } from "zod";
import { plainSpanishError } from "./zod-messages";

// Messages in plain Spanish for the portal (client bundle only; the server keeps its own messages);
// zod's Spanish locale covers whatever plainSpanishError leaves out.
z.config({ ...z.locales.es(), customError: plainSpanishError });

export type FieldErrors = Record<string, string>;

/** Validates with the same zod schema the server uses; first message per top-level field. */
export function validate<S extends z.ZodType>(
  schema: S,
  values: unknown,
): { ok: true; data: z.output<S> } | { ok: false; errors: FieldErrors } {
  const r = schema.safeParse(values);
  if (r.success) return { ok: true, data: r.data };
  const errors: FieldErrors = {};
  for (const issue of r.error.issues) {
    const key = issue.path.length ? String(issue.path[0]) : "_form";
    if (!errors[key]) errors[key] = issue.message;
  }
  return { ok: false, errors };
}

/** "" → null, numeric strings → numbers: turns form strings into the shapes the schemas expect. */
export function numOrNull(v: FormDataEntryValue | string | null | undefined): number | null {
  if (v == null) return null;
  const s = String(v).trim().replace(",", ".");
  if (s === "") return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : NaN;
}

/** A number as the user would type it in Chile (decimal comma, no grouping), for input defaults. */
export function decimalText(n: number | null | undefined): string {
  return n == null ? "" : String(n).replace(".", ",");
}

export function strOrNull(v: FormDataEntryValue | string | null | undefined): string | null {
  const s = v == null ? "" : String(v).trim();
  return s === "" ? null : s;
}

/** Server errors (tRPC BAD_REQUEST with zod details) mapped to field errors. */
export function serverFieldErrors(e: unknown): FieldErrors {
  const details = (e as { data?: { details?: { fieldErrors?: Record<string, string[]> } } } | null)?.data?.details;
  const out: FieldErrors = {};
  for (const [k, v] of Object.entries(details?.fieldErrors ?? {})) if (v[0]) out[k] = v[0];
  return out;
}
