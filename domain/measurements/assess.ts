import { z } from "zod";
import { QUALITY_SEVERITY, worse, type QualityName } from "./quality";
import type { Variable } from "./types";
import type { MeterChange } from "./meter-change";
import { flagSpikes, pumpRunning } from "./spikes";
import { assessTotalizer, flagFrozen, flowLookup, type Flag, type Pt } from "./totalizer";
import { median } from "@/domain/stats";

/*
 * Set-based: the result depends only on the SET of rows, never on their order or repeats. Data arrive
 * late, out of order and twice, so the processor does not update flags incrementally; it reloads a
 * window (new rows plus context rows before and after) and recomputes it. Neighbour rules (spike, reset
 * confirmation, frozen, gaps) may thus change a flag when later data arrive: an unconfirmed drop
 * becomes a reset once enough readings exist. Input quality/reason must be the intrinsic ones from
 * normalisation, never a previous assessment's output, or stale flags would stick.
 *
 * Totalizer walk: keep a chain of accepted values. A reading below the last accepted one (or above it
 * at more than maxRateLps) is a discontinuity. It is a rollover when the chain is within rolloverMargin
 * of rolloverM3 and the reading within the margin of 0; a reset only when it and the next
 * resetConfirmSamples − 1 readings are all discontinuous and non-decreasing; an upward excursion of the
 * chain (flagged spike) when dropping the chain's tail explains the data with fewer flags; otherwise a
 * glitch (drop → suspect, jump → spike) that consumption skips.
 */

export interface SeriesRow {
  ts: Date;
  value: number | null;
  rawValue: string | null;
  quality: QualityName;
  reason: string | null;
  source?: string;
}

interface Gap {
  from: Date;
  to: Date;
  durationMs: number;
}

export interface Assessment<T extends SeriesRow> {
  variable: Variable;
  /** One row per timestamp, sorted by ts, with final quality and reason. */
  rows: T[];
  /** Losing rows of same-timestamp, different-value duplicates (destined for measurement_conflict). */
  conflicts: T[];
  gaps: Gap[];
  /** Configured, or the median interval between readings; null with fewer than two readings. */
  expectedIntervalMs: number | null;
}

const num = z.number().finite();
const posInt = z.number().int().positive();

/**
 * Per point-and-variable settings as stored in JSON; all optional. Defaults: ranges DEFAULT_RANGES,
 * grantedFlowTolerance 0.2, spike window 3 each side, k 5 × scaled MAD, frozenSamples 4,
 * resetConfirmSamples 10 (the processor passes defaultResetConfirmSamples of the reporting interval), rolloverMargin 0.1, maxRateLps 1000, gapFactor 3 × median interval.
 */
export const AssessConfigSchema = z.object({
  minValue: num.nullable().optional(),
  maxValue: num.nullable().optional(),
  grantedFlowLps: num.positive().nullable().optional(),
  grantedFlowTolerance: num.nonnegative().optional(),
  spikeWindow: posInt.optional(),
  spikeK: num.positive().optional(),
  spikeFloor: num.nonnegative().optional(),
  frozenSamples: z.number().int().min(2).optional(),
  frozenFlowThresholdLps: num.nonnegative().optional(),
  flowMatchToleranceMs: num.nonnegative().optional(),
  resetConfirmSamples: posInt.optional(),
  rolloverM3: num.positive().nullable().optional(),
  rolloverMargin: num.positive().max(0.5).optional(),
  maxRateLps: num.positive().nullable().optional(),
  expectedIntervalMs: num.positive().nullable().optional(),
  gapFactor: num.gt(1).optional(),
});
/** Stored settings plus the point's declared meter changes (not JSON settings: their own table). */
export type AssessConfig = z.infer<typeof AssessConfigSchema> & { meterChanges?: readonly MeterChange[] };

/** Physical plausibility ranges in canonical units (L/s, m3, m). Flow 1000 L/s: no right loaded (Emeltec rule). */
const DEFAULT_RANGES: Record<Variable, { min: number | null; max: number | null }> = {
  flow: { min: null, max: 1000 },
  totalizer: { min: 0, max: 999_999_999_999_999 },
  level: { min: 0, max: 1500 },
  water_table: { min: null, max: 1500 },
};
const DEFAULT_SPIKE_FLOOR: Record<Variable, number> = { flow: 10, totalizer: 0, level: 5, water_table: 5 };
/** Highest physically plausible totalizer growth rate (L/s) when none is configured. */
export const DEFAULT_MAX_RATE_LPS = 1000;
const DEFAULT_RESET_CONFIRM_SAMPLES = 10;

function resolve(variable: Variable, c: AssessConfig) {
  return {
    min: c.minValue === undefined ? DEFAULT_RANGES[variable].min : c.minValue,
    max: c.maxValue === undefined ? DEFAULT_RANGES[variable].max : c.maxValue,
    granted: c.grantedFlowLps ?? null,
    tolerance: c.grantedFlowTolerance ?? 0.2,
    spikeWindow: c.spikeWindow ?? 3,
    spikeK: c.spikeK ?? 5,
    spikeFloor: c.spikeFloor ?? DEFAULT_SPIKE_FLOOR[variable],
    frozenSamples: c.frozenSamples ?? 4,
    frozenFlow: c.frozenFlowThresholdLps ?? 0,
    flowTolMs: c.flowMatchToleranceMs ?? 60_000,
    confirm: c.resetConfirmSamples ?? DEFAULT_RESET_CONFIRM_SAMPLES,
    rollover: c.rolloverM3 ?? null,
    margin: c.rolloverMargin ?? 0.1,
    maxRate: c.maxRateLps === undefined ? DEFAULT_MAX_RATE_LPS : c.maxRateLps,
    expected: c.expectedIntervalMs ?? null,
    gapFactor: c.gapFactor ?? 3,
    meterChanges: c.meterChanges ?? [],
  };
}

const cmpStr = (a: string | null | undefined, b: string | null | undefined): number =>
  a === b ? 0 : a === null || a === undefined ? 1 : b === null || b === undefined ? -1 : a < b ? -1 : 1;
const cmpNum = (a: number | null, b: number | null): number => (a === b ? 0 : a === null ? 1 : b === null ? -1 : a - b);

/** Total order used to pick a deterministic winner among rows sharing a timestamp. */
function winnerOrder(a: SeriesRow, b: SeriesRow): number {
  return (
    QUALITY_SEVERITY[a.quality] - QUALITY_SEVERITY[b.quality] ||
    cmpStr(a.rawValue, b.rawValue) ||
    cmpNum(a.value, b.value) ||
    cmpStr(a.quality, b.quality) ||
    cmpStr(a.reason, b.reason) ||
    cmpStr(a.source, b.source)
  );
}

/** Sorts by ts, drops exact (ts, value) repeats and splits off same-ts different-value losers. */
function canonicalize<T extends SeriesRow>(rows: readonly T[]): { kept: T[]; conflicts: T[]; conflictCount: number[] } {
  const groups = new Map<number, T[]>();
  for (const r of rows) {
    const t = r.ts.getTime();
    if (!Number.isFinite(t)) throw new RangeError("assessSeries: row with invalid ts");
    const g = groups.get(t);
    if (g) g.push(r);
    else groups.set(t, [r]);
  }
  const kept: T[] = [];
  const conflicts: T[] = [];
  const conflictCount: number[] = [];
  for (const t of [...groups.keys()].sort((a, b) => a - b)) {
    const g = groups.get(t)!.slice().sort(winnerOrder);
    const winner = g[0]!;
    const seen = new Set<number | null>([winner.value]);
    let n = 0;
    for (const r of g) {
      if (seen.has(r.value)) continue;
      seen.add(r.value);
      conflicts.push(r);
      n++;
    }
    kept.push(winner);
    conflictCount.push(n);
  }
  return { kept, conflicts, conflictCount };
}

function findGaps(
  tsList: readonly number[],
  configured: number | null,
  factor: number,
): { gaps: Gap[]; expected: number | null } {
  const intervals = tsList.slice(1).map((t, k) => t - tsList[k]!);
  const expected = configured ?? (intervals.length ? median(intervals) : null);
  if (expected === null) return { gaps: [], expected };
  const gaps: Gap[] = [];
  intervals.forEach((d, k) => {
    if (d > factor * expected) gaps.push({ from: new Date(tsList[k]!), to: new Date(tsList[k + 1]!), durationMs: d });
  });
  return { gaps, expected };
}

/**
 * Flags one point's series of one variable (canonical units). Pure function of the set of rows.
 * Same-ts winner: best intrinsic quality, then smallest rawValue string (then value, reason, source);
 * the winner is marked duplicate_conflict and the other distinct values are returned in `conflicts`.
 * `context.flow`: the point's flow rows, used to tell a frozen totalizer from a stopped pump and a
 * drawdown or recovery reading from a level spike.
 */
export function assessSeries<T extends SeriesRow>(
  rows: readonly T[],
  variable: Variable,
  config: AssessConfig = {},
  context: { flow?: readonly SeriesRow[] } = {},
): Assessment<T> {
  const cfg = resolve(variable, config);
  const { kept, conflicts, conflictCount } = canonicalize(rows);
  const quality: QualityName[] = kept.map((r) => r.quality);
  const reasons: string[][] = kept.map((r) => (r.reason ? [r.reason] : []));
  const flag: Flag = (i, q, reason) => {
    quality[i] = worse(quality[i]!, q);
    if (!reasons[i]!.includes(reason)) reasons[i]!.push(reason);
  };
  conflictCount.forEach((n, i) => {
    if (n > 0) flag(i, "duplicate_conflict", `${n} conflicting value(s) at the same timestamp`);
  });

  const candidates: Pt[] = [];
  kept.forEach((r, i) => {
    if (r.value !== null && r.quality === "ok") candidates.push({ i, ts: r.ts.getTime(), v: r.value });
  });
  const inRange = candidates.filter((p) => {
    const out = (cfg.min !== null && p.v < cfg.min) || (cfg.max !== null && p.v > cfg.max);
    if (out) flag(p.i, "out_of_range", `out of range [${cfg.min ?? "-∞"}, ${cfg.max ?? "∞"}]`);
    return !out;
  });
  if (variable === "flow" && cfg.granted !== null) {
    for (const p of inRange) if (p.v > cfg.granted * (1 + cfg.tolerance)) flag(p.i, "suspect", "sobre caudal otorgado");
  }
  if (variable === "totalizer") {
    const acc = assessTotalizer(inRange, cfg, flag);
    if (context.flow) flagFrozen(inRange, acc, flowLookup(context.flow, cfg.flowTolMs), cfg, flag);
  } else {
    flagSpikes(
      inRange,
      variable,
      cfg,
      flag,
      variable !== "flow" && context.flow ? pumpRunning(context.flow, cfg.flowTolMs) : null,
    );
  }

  const present = kept.filter((r) => r.quality !== "future").map((r) => r.ts.getTime());
  const { gaps, expected } = findGaps(present, cfg.expected, cfg.gapFactor);
  const out = kept.map((r, i) => ({
    ...r,
    quality: quality[i]!,
    reason: reasons[i]!.length ? reasons[i]!.join("; ") : null,
  }));
  return { variable, rows: out, conflicts, gaps, expectedIntervalMs: expected };
}
