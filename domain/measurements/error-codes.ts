import { z } from "zod";
import type { ProviderKind } from "@/domain/providers/types";
import type { VariableMapping } from "./types";

/**
 * Logger status codes a binding variable may carry instead of a reading: exact values, or an
 * inclusive range (either end open). Stored per binding variable (binding_variable.error_codes);
 * null there means "the provider kind's default" (DEFAULT_ERROR_CODES).
 */
const ErrorCodeRuleSchema = z.union([
  z.number().finite(),
  z
    .object({ min: z.number().finite().optional(), max: z.number().finite().optional() })
    .refine((r) => r.min !== undefined || r.max !== undefined, "a range needs min or max"),
]);
export type ErrorCodeRule = z.infer<typeof ErrorCodeRuleSchema>;
export const ErrorCodeRulesSchema = z.array(ErrorCodeRuleSchema).max(50);

type MappedVariable = VariableMapping["variable"];

/**
 * Defaults per provider kind. −9999 is everyone's "no reading". Novus loggers behind Tago send
 * negative integers as status codes (open 4–20 mA loop, broken sensor) on every channel, flow
 * included (providers.md §3.7); a real reverse flow on a well is below −1 L/s only on a meter we
 * do not support. Negative totalizer and level are codes for every kind (toCanonical).
 */
export const DEFAULT_ERROR_CODES: Record<ProviderKind, Record<MappedVariable, readonly ErrorCodeRule[]>> = {
  tdata: { flow: [-9999], totalizer: [-9999], level: [-9999] },
  tts: { flow: [-9999], totalizer: [-9999], level: [-9999] },
  thethingsio: { flow: [-9999], totalizer: [-9999], level: [-9999] },
  tago: { flow: [-9999, { max: -1 }], totalizer: [-9999], level: [-9999] },
  custom: { flow: [-9999], totalizer: [-9999], level: [-9999] },
};

export function errorCodesFor(
  kind: ProviderKind,
  variable: MappedVariable,
  configured: readonly ErrorCodeRule[] | null | undefined,
): readonly ErrorCodeRule[] {
  return configured ?? DEFAULT_ERROR_CODES[kind][variable];
}

/** Whether a raw number (before unit conversion: codes are what the logger sends) is a status code. */
export function isErrorCode(raw: number, rules: readonly ErrorCodeRule[]): boolean {
  for (const r of rules) {
    if (typeof r === "number") {
      if (r === raw) return true;
    } else if ((r.min === undefined || raw >= r.min) && (r.max === undefined || raw <= r.max)) return true;
  }
  return false;
}
