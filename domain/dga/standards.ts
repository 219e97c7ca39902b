import { z } from "zod";
import { AppError } from "@/domain/errors";

export const DGA_STANDARDS = ["mayor", "medio", "menor", "muy_pequenos"] as const;
export type DgaStandard = (typeof DGA_STANDARDS)[number];

const SLOT_PERIODS = ["hour", "day", "month"] as const;
/** instant: the reading at the slot boundary; average_from_totalizer: Δtotalizer / Δt since the previous slot. */
const FLOW_MODES = ["instant", "average_from_totalizer"] as const;

export const StandardRuleSchema = z.strictObject({
  /** Slot boundaries on the DGA clock: every HH:00, every day 00:00, or day 1 00:00 of the listed months. */
  period: z.enum(SLOT_PERIODS),
  /** Months (1–12) that carry a slot; only read when period is "month". */
  months: z.array(z.number().int().min(1).max(12)).min(1).max(12),
  flowMode: z.enum(FLOW_MODES),
  /** nivelFreaticoDelPozo may be "" (manual: Caudales Muy Pequeños and aguas del minero). */
  allowEmptyLevel: z.boolean(),
  /** alturaLimnimetrica may be "" (manual: Caudales Muy Pequeños and gates that compute flow). */
  allowEmptyHeight: z.boolean(),
  /** After this lag a slot can no longer be transmitted and becomes a §6.3 transmission failure. */
  maxLagDays: z.number().positive().max(366),
});
export type StandardRule = z.infer<typeof StandardRuleSchema>;
export type StandardsConfig = Readonly<Record<DgaStandard, StandardRule>>;

const ALL_MONTHS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];

/**
 * Periods, lags and the flow value for the lower standards are not confirmed against Res. 1.238
 * (spec §3.2), so they are configuration with these defaults rather than code.
 */
export const DEFAULT_STANDARDS: StandardsConfig = {
  mayor: {
    period: "hour",
    months: ALL_MONTHS,
    flowMode: "instant",
    allowEmptyLevel: false,
    allowEmptyHeight: false,
    maxLagDays: 7,
  },
  medio: {
    period: "day",
    months: ALL_MONTHS,
    flowMode: "instant",
    allowEmptyLevel: false,
    allowEmptyHeight: false,
    maxLagDays: 15,
  },
  menor: {
    period: "month",
    months: ALL_MONTHS,
    flowMode: "instant",
    allowEmptyLevel: false,
    allowEmptyHeight: false,
    maxLagDays: 31,
  },
  muy_pequenos: {
    period: "month",
    months: [1, 7],
    flowMode: "instant",
    allowEmptyLevel: true,
    allowEmptyHeight: true,
    maxLagDays: 31,
  },
};

/** A partial override: any standard, any field. */
const StandardsOverrideSchema = z.strictObject({
  mayor: StandardRuleSchema.partial().optional(),
  medio: StandardRuleSchema.partial().optional(),
  menor: StandardRuleSchema.partial().optional(),
  muy_pequenos: StandardRuleSchema.partial().optional(),
});

/** Merges a (validated) override onto the defaults; throws BAD_INPUT listing every issue. */
export function resolveStandards(override: unknown, base: StandardsConfig = DEFAULT_STANDARDS): StandardsConfig {
  const parsed = StandardsOverrideSchema.safeParse(override ?? {});
  if (!parsed.success) {
    throw new AppError("BAD_INPUT", "invalid DGA standards override", { details: parsed.error.issues });
  }
  const merged = {} as Record<DgaStandard, StandardRule>;
  for (const standard of DGA_STANDARDS) {
    const patch = Object.fromEntries(Object.entries(parsed.data[standard] ?? {}).filter(([, v]) => v !== undefined));
    const rule: StandardRule = { ...base[standard], ...patch };
    merged[standard] = { ...rule, months: [...new Set(rule.months)].sort((a, b) => a - b) };
  }
  return merged;
}
