import { z } from "zod";
import { formatNumber } from "@/domain/format";
import { median } from "@/domain/stats";

/**
 * Robust seasonal baseline per point: for each (weekday × hour-of-day) slot of America/Santiago local
 * time, the median and MAD of the hourly averages over the last N weeks. A recent hour is unusual when
 * its robust z-score |x − median| / σ exceeds the threshold, where σ = 1.4826·MAD floored so a
 * perfectly steady pump (MAD 0) does not turn every wobble into an anomaly.
 */
export const BaselineOptionsSchema = z.object({
  /** Robust z-score above which an hour is flagged. */
  threshold: z.number().positive().default(4),
  /** |z| at or above which the flag is critical instead of warning. */
  criticalThreshold: z.number().positive().default(8),
  /** Fewer samples than this in a weekday×hour slot: fall back to the hour-of-day across all weekdays. */
  minSlotSamples: z.number().int().min(1).default(3),
  /** Fewer than this even in the hour-of-day pool: no verdict for that hour. */
  minHourSamples: z.number().int().min(1).default(6),
  /** σ floor as a fraction of |median| (defaults per variable, see VARIABLE_FLOORS). */
  relativeFloor: z.number().min(0).default(0.05),
  /** σ floor in the variable's unit (L/s for flow, m for level). */
  absoluteFloor: z.number().min(0).default(0.2),
});
export type BaselineOptions = z.infer<typeof BaselineOptionsSchema>;
export type BaselineVariable = "flow" | "level";

export interface HourlySample {
  /** Start of the UTC hour. */
  bucket: Date;
  /** Hourly average in the variable's unit. */
  value: number;
}

export interface SlotStats {
  median: number;
  mad: number;
  n: number;
}

export interface Profile {
  /** key weekday*24+hour (weekday 0 = domingo). */
  slots: Map<number, SlotStats>;
  /** key hour-of-day, pooled over weekdays. */
  hours: Map<number, SlotStats>;
}

export interface BaselineFlag {
  bucket: Date;
  variable: BaselineVariable;
  value: number;
  median: number;
  /** Usual range shown to the user: median ± 2σ (flow clamped at 0). */
  usualLow: number;
  usualHigh: number;
  z: number;
  direction: "high" | "low";
  severity: "warning" | "critical";
  /** Which profile decided: the exact weekday×hour slot or the pooled hour-of-day. */
  basis: "weekday_hour" | "hour";
  reason: string;
}

const WEEKDAYS_ES = ["domingo", "lunes", "martes", "miércoles", "jueves", "viernes", "sábado"] as const;
const WEEKDAY_INDEX: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };
const MAD_TO_SIGMA = 1.4826;

const localFmt = new Intl.DateTimeFormat("en-US", {
  timeZone: "America/Santiago",
  weekday: "short",
  hour: "2-digit",
  hourCycle: "h23",
});

/** Weekday (0 = Sunday) and hour of an instant in America/Santiago. */
export function santiagoSlot(ts: Date): { weekday: number; hour: number } {
  const parts = Object.fromEntries(localFmt.formatToParts(ts).map((p) => [p.type, p.value]));
  return { weekday: WEEKDAY_INDEX[parts.weekday ?? "Sun"] ?? 0, hour: Number(parts.hour ?? 0) % 24 };
}

/** Median absolute deviation around the median. */
export function mad(values: readonly number[], med = median(values)): number {
  return median(values.map((v) => Math.abs(v - med)));
}

function stats(values: number[]): SlotStats {
  const m = median(values);
  return { median: m, mad: mad(values, m), n: values.length };
}

export function buildProfile(samples: readonly HourlySample[]): Profile {
  const bySlot = new Map<number, number[]>();
  const byHour = new Map<number, number[]>();
  for (const s of samples) {
    if (!Number.isFinite(s.value)) continue;
    const { weekday, hour } = santiagoSlot(s.bucket);
    const k = weekday * 24 + hour;
    (bySlot.get(k) ?? bySlot.set(k, []).get(k)!).push(s.value);
    (byHour.get(hour) ?? byHour.set(hour, []).get(hour)!).push(s.value);
  }
  return {
    slots: new Map([...bySlot].map(([k, v]) => [k, stats(v)])),
    hours: new Map([...byHour].map(([k, v]) => [k, stats(v)])),
  };
}

/** σ used for the z-score: 1.4826·MAD, never below the relative or absolute floor. */
export function effectiveSigma(s: SlotStats, opts: BaselineOptions): number {
  return Math.max(MAD_TO_SIGMA * s.mad, opts.relativeFloor * Math.abs(s.median), opts.absoluteFloor, 1e-9);
}

/** Floors per variable: a pump's flow wobbles by percent; a water level moves by centimetres. */
const VARIABLE_FLOORS: Record<BaselineVariable, Pick<BaselineOptions, "relativeFloor" | "absoluteFloor">> = {
  flow: { relativeFloor: 0.05, absoluteFloor: 0.2 },
  level: { relativeFloor: 0.005, absoluteFloor: 0.05 },
};

const UNIT: Record<BaselineVariable, string> = { flow: "L/s", level: "m" };
const LABEL: Record<BaselineVariable, string> = { flow: "Caudal", level: "Nivel" };

function decimalsFor(low: number, high: number): number {
  const w = Math.abs(high - low);
  return w >= 10 ? 0 : w >= 1 ? 1 : 2;
}

/** Flags the recent hours that fall outside their slot's usual behaviour, with a Spanish explanation. */
export function evaluateBaseline(
  profile: Profile,
  recent: readonly HourlySample[],
  variable: BaselineVariable,
  options: Partial<BaselineOptions> = {},
): BaselineFlag[] {
  const opts = BaselineOptionsSchema.parse({ ...VARIABLE_FLOORS[variable], ...options });
  const flags: BaselineFlag[] = [];
  for (const s of recent) {
    if (!Number.isFinite(s.value)) continue;
    const { weekday, hour } = santiagoSlot(s.bucket);
    const slot = profile.slots.get(weekday * 24 + hour);
    const pooled = profile.hours.get(hour);
    const basis =
      slot && slot.n >= opts.minSlotSamples
        ? "weekday_hour"
        : pooled && pooled.n >= opts.minHourSamples
          ? "hour"
          : null;
    if (!basis) continue;
    const ref = basis === "weekday_hour" ? slot! : pooled!;
    const sigma = effectiveSigma(ref, opts);
    const z = (s.value - ref.median) / sigma;
    if (Math.abs(z) <= opts.threshold) continue;
    const usualLow = variable === "flow" ? Math.max(0, ref.median - 2 * sigma) : ref.median - 2 * sigma;
    const usualHigh = ref.median + 2 * sigma;
    const d = decimalsFor(usualLow, usualHigh);
    const when = `a las ${String(hour).padStart(2, "0")}:00 del ${WEEKDAYS_ES[weekday]}`;
    flags.push({
      bucket: s.bucket,
      variable,
      value: s.value,
      median: ref.median,
      usualLow,
      usualHigh,
      z,
      direction: z > 0 ? "high" : "low",
      severity: Math.abs(z) >= opts.criticalThreshold ? "critical" : "warning",
      basis,
      reason:
        `${LABEL[variable]} ${formatNumber(s.value, 1)} ${UNIT[variable]} ${when}; ` +
        `lo habitual es ${formatNumber(usualLow, d)}–${formatNumber(usualHigh, d)} ${UNIT[variable]}`,
    });
  }
  return flags;
}

/** Anomaly dedupe key: one row per point, variable and America/Santiago day. */
export function baselineDedupeKey(pointId: number, variable: BaselineVariable, localDay: string): string {
  return `baseline_${variable}:${pointId}:${localDay}`;
}
