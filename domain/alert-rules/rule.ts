import { z } from "zod";
import { formatNumber } from "@/domain/format";
import { RuleScheduleSchema, describeSchedule, normalizeSchedule, scheduleAllows } from "./schedule";

/**
 * Alert rules users tune (issue #20): a variable, a condition against a threshold with its unit, how long the
 * condition must hold, a hysteresis band to clear it, a severity and the channels. One rule fires once per
 * episode (condition held for the duration) and resolves when the value leaves the band.
 */
export const RULE_VARIABLES = ["flow", "level", "water_table", "totalizer"] as const;
export const RULE_CONDITIONS = ["above", "below", "rate_above", "rate_below", "no_data"] as const;
export const RULE_UNITS = ["L/s", "m3/h", "m", "cm", "m3"] as const;
export const RULE_CHANNELS = ["in_app", "email", "webhook"] as const;
export type RuleVariable = (typeof RULE_VARIABLES)[number];
type RuleUnit = (typeof RULE_UNITS)[number];

/** Canonical unit per variable (flow L/s, levels m, totalizer m³) and the factor from each accepted unit. */
const UNITS: Record<RuleVariable, Partial<Record<RuleUnit, number>>> = {
  flow: { "L/s": 1, "m3/h": 1 / 3.6 },
  level: { m: 1, cm: 0.01 },
  water_table: { m: 1, cm: 0.01 },
  totalizer: { m3: 1 },
};

/** The rule without its cross-field checks, so operations can extend it (then apply `refineRule`). */
export const AlertRuleBaseSchema = z.object({
  name: z.string().trim().min(2).max(120),
  variable: z.enum(RULE_VARIABLES),
  condition: z.enum(RULE_CONDITIONS),
  /** In `unit` (per hour for rate conditions). Ignored by no_data. */
  threshold: z.number().finite(),
  unit: z.enum(RULE_UNITS),
  /** How long the condition must hold before the rule fires (no_data: the silence that counts as an outage). */
  durationMin: z.number().int().min(0).max(10_080),
  /** Band beyond the threshold the value must cross back to resolve (same unit), so a value hovering at the threshold does not flap. */
  hysteresis: z.number().min(0).default(0),
  severity: z.enum(["info", "warning", "critical"]).default("warning"),
  channels: z.array(z.enum(RULE_CHANNELS)).min(1, "Elija al menos un canal").default(["in_app"]),
  /** When readings count (pump on, time window); null = always. */
  schedule: RuleScheduleSchema.nullish().transform((s) => normalizeSchedule(s)),
});

export function refineRule(
  r: Pick<z.infer<typeof AlertRuleBaseSchema>, "variable" | "unit" | "condition" | "durationMin" | "schedule">,
  ctx: z.RefinementCtx,
): void {
  if (r.condition === "no_data" && r.schedule)
    ctx.addIssue({ code: "custom", path: ["schedule"], message: "Sin datos no admite horario" });
  if (UNITS[r.variable][r.unit] === undefined)
    ctx.addIssue({ code: "custom", path: ["unit"], message: `Unidad ${r.unit} no corresponde a la variable` });
  if (r.condition === "no_data" && r.durationMin < 1)
    ctx.addIssue({ code: "custom", path: ["durationMin"], message: "Sin datos requiere una duración" });
}

export const AlertRuleSpecSchema = AlertRuleBaseSchema.superRefine(refineRule);
export type AlertRuleSpec = z.infer<typeof AlertRuleSpecSchema>;

/** Threshold and hysteresis in the variable's canonical unit. */
export function canonicalThreshold(r: Pick<AlertRuleSpec, "variable" | "unit" | "threshold" | "hysteresis">): {
  threshold: number;
  hysteresis: number;
} {
  const k = UNITS[r.variable][r.unit] ?? 1;
  return { threshold: r.threshold * k, hysteresis: r.hysteresis * k };
}

export interface RuleSample {
  ts: Date;
  /** Canonical unit. */
  value: number;
}

/** Per rule and point, persisted between evaluations. */
export interface RuleState {
  /** When the condition started holding (not yet long enough). */
  pendingSince: Date | null;
  /** When the current episode fired; null = no open episode. */
  firingSince: Date | null;
  lastTs: Date | null;
  lastValue: number | null;
}
export const INITIAL_RULE_STATE: RuleState = { pendingSince: null, firingSince: null, lastTs: null, lastValue: null };

export interface RuleEvent {
  kind: "fire" | "resolve";
  at: Date;
  value: number | null;
  reason: string;
}

const LABEL: Record<RuleVariable, string> = {
  flow: "Caudal",
  level: "Nivel",
  water_table: "Nivel freático",
  totalizer: "Totalizador",
};
const CANON_UNIT: Record<RuleVariable, string> = { flow: "L/s", level: "m", water_table: "m", totalizer: "m³" };
/** Longest gap over which a rate of change is trusted. */
const MAX_RATE_GAP_H = 6;

/** "Nivel < 12 m durante 30 min" — the rule in one line. */
export function describeRule(r: AlertRuleSpec): string {
  const unit = r.unit === "m3" ? "m³" : r.unit === "m3/h" ? "m³/h" : r.unit;
  const dur = r.durationMin >= 60 && r.durationMin % 60 === 0 ? `${r.durationMin / 60} h` : `${r.durationMin} min`;
  const t = formatNumber(r.threshold, Number.isInteger(r.threshold) ? 0 : 2);
  const what = {
    above: `${LABEL[r.variable]} > ${t} ${unit}`,
    below: `${LABEL[r.variable]} < ${t} ${unit}`,
    rate_above: `${LABEL[r.variable]} sube más de ${t} ${unit}/h`,
    rate_below: `${LABEL[r.variable]} cambia menos de ${t} ${unit}/h`,
    no_data: `${LABEL[r.variable]} sin datos`,
  }[r.condition];
  const line = r.durationMin > 0 ? `${what} durante ${dur}` : what;
  const when = describeSchedule(r.schedule);
  return when ? `${line}, ${when}` : line;
}

/** What a schedule needs besides the rule's own variable: the point's trusted flow, sorted (pump on/off). */
export interface RuleContext {
  flow?: readonly RuleSample[];
}

/**
 * Advances a rule over new samples (sorted, newer than state.lastTs; older ones are ignored so a replay
 * changes nothing). Pure: the caller persists the returned state and turns events into anomalies.
 * A reading outside the rule's schedule counts as the condition not holding: it resets a pending episode
 * and resolves an open one.
 */
export function stepRule(
  rule: AlertRuleSpec,
  state: RuleState,
  samples: readonly RuleSample[],
  ctx: RuleContext = {},
): { state: RuleState; events: RuleEvent[] } {
  const { threshold, hysteresis } = canonicalThreshold(rule);
  const durMs = rule.durationMin * 60_000;
  const s: RuleState = { ...state };
  const events: RuleEvent[] = [];
  const unit = CANON_UNIT[rule.variable];
  for (const x of samples) {
    if (!Number.isFinite(x.value) || (s.lastTs && x.ts.getTime() <= s.lastTs.getTime())) continue;
    if (rule.condition === "no_data") {
      if (s.firingSince) {
        // The silence was already raised live (noDataDue); data are back.
        events.push({ kind: "resolve", at: x.ts, value: x.value, reason: "Llegaron datos" });
        s.firingSince = null;
      } else if (s.lastTs && x.ts.getTime() - s.lastTs.getTime() > durMs) {
        const at = new Date(s.lastTs.getTime() + durMs);
        events.push({
          kind: "fire",
          at,
          value: null,
          reason: `${describeRule(rule)} (sin datos desde ${s.lastTs.toISOString()})`,
        });
        events.push({ kind: "resolve", at: x.ts, value: x.value, reason: "Llegaron datos" });
      }
    } else {
      let v = x.value;
      if (rule.condition === "rate_above" || rule.condition === "rate_below") {
        const hours = s.lastTs ? (x.ts.getTime() - s.lastTs.getTime()) / 3_600_000 : 0;
        const prev = s.lastValue;
        s.lastTs = x.ts;
        s.lastValue = x.value;
        if (prev === null || hours <= 0 || hours > MAX_RATE_GAP_H) continue;
        v = (x.value - prev) / hours;
      }
      const high = rule.condition === "above" || rule.condition === "rate_above";
      const scheduled = scheduleAllows(rule.schedule, x.ts, rule.variable === "flow" ? [x] : ctx.flow);
      const active = scheduled && (high ? v > threshold : v < threshold);
      const cleared = !scheduled || (high ? v < threshold - hysteresis : v > threshold + hysteresis);
      if (s.firingSince) {
        if (cleared || (hysteresis === 0 && !active)) {
          events.push({
            kind: "resolve",
            at: x.ts,
            value: v,
            reason: scheduled
              ? `${LABEL[rule.variable]} ${formatNumber(v, 2)} ${unit}: fuera de la condición`
              : "Fuera del horario de la regla",
          });
          s.firingSince = null;
          s.pendingSince = null;
        }
      } else if (active) {
        s.pendingSince ??= x.ts;
        if (x.ts.getTime() - s.pendingSince.getTime() >= durMs) {
          events.push({
            kind: "fire",
            at: x.ts,
            value: v,
            reason: `${describeRule(rule)}: ${formatNumber(v, 2)} ${unit}${rule.condition.startsWith("rate") ? "/h" : ""}`,
          });
          s.firingSince = x.ts;
        }
      } else s.pendingSince = null;
    }
    s.lastTs = x.ts;
    s.lastValue = x.value;
  }
  return { state: s, events };
}

/** A no_data rule whose point has been silent past the duration at `now` fires live (the sweep calls this). */
export function noDataDue(rule: AlertRuleSpec, state: RuleState, now: Date): RuleEvent | null {
  if (rule.condition !== "no_data" || state.firingSince || !state.lastTs) return null;
  const at = new Date(state.lastTs.getTime() + rule.durationMin * 60_000);
  if (now.getTime() <= at.getTime()) return null;
  return {
    kind: "fire",
    at,
    value: null,
    reason: `${describeRule(rule)} (sin datos desde ${state.lastTs.toISOString()})`,
  };
}

export interface RulePreview {
  fires: number;
  episodes: { firedAt: Date; resolvedAt: Date | null }[];
  samples: number;
  sentence: string;
}

/** Runs the rule over a history from an empty state: how often it would have fired ("esta regla habría disparado N veces"). */
export function previewRule(
  rule: AlertRuleSpec,
  samples: readonly RuleSample[],
  days: number,
  ctx: RuleContext = {},
): RulePreview {
  const { events } = stepRule(rule, INITIAL_RULE_STATE, samples, ctx);
  const episodes: RulePreview["episodes"] = [];
  for (const e of events) {
    if (e.kind === "fire") episodes.push({ firedAt: e.at, resolvedAt: null });
    else if (episodes.length) episodes[episodes.length - 1]!.resolvedAt = e.at;
  }
  const n = episodes.length;
  const sentence =
    samples.length === 0
      ? `Sin datos en los últimos ${days} días para probar la regla.`
      : `Esta regla habría disparado ${n} ${n === 1 ? "vez" : "veces"} en los últimos ${days} días.`;
  return { fires: n, episodes, samples: samples.length, sentence };
}
