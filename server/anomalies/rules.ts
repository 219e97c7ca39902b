import { isTrustedValue } from "@/domain/measurements/quality";
import type { Variable } from "@/domain/measurements/types";
import type { AssessedRow } from "@/server/timeseries/recompute";

/** Anomaly types double as notification event names (domain/notifications/events.ts). */
export const ANOMALY_TYPES = ["point_offline", "flow_above_granted", "level_drop", "totalizer_frozen", "negative_flow", "spike", "error_code", "right_forecast", "level_forecast"] as const;
export type AnomalyType = (typeof ANOMALY_TYPES)[number];
export type Severity = "info" | "warning" | "critical";

export interface AnomalyCandidate {
  type: AnomalyType;
  severity: Severity;
  clientId: number;
  pointId: number;
  /** Variable the anomaly is about ("point" for point-wide ones such as offline). */
  variable: Variable | "point";
  firstTs: Date;
  lastTs: Date;
  /** Occurrences in this evaluation (readings, or runs for error codes). */
  count: number;
  reason: string;
  details: Record<string, unknown>;
}

export interface RuleOptions {
  grantedFlowTolerance: number;
  /** Water-table deepening rate (m/h) above which a level drop is raised. */
  levelDropMPerH: number;
  /** Longest interval (h) over which a level drop rate is trusted. */
  levelDropMaxGapH: number;
  /** Consecutive error-code readings that make a sustained error. */
  errorRunLength: number;
}

export const DEFAULT_RULE_OPTIONS: RuleOptions = { grantedFlowTolerance: 0.2, levelDropMPerH: 1, levelDropMaxGapH: 6, errorRunLength: 3 };

export interface RuleInput {
  clientId: number;
  pointId: number;
  grantedFlowLps: number | null;
  variable: Variable;
  /** Assessed window (sorted by ts); rows with isNew arrived in this batch. */
  rows: readonly AssessedRow[];
}

const fmt = (n: number) => (Math.round(n * 100) / 100).toString();

function candidate(input: RuleInput, type: AnomalyType, severity: Severity, hits: readonly AssessedRow[], reason: string, details: Record<string, unknown> = {}): AnomalyCandidate {
  return {
    type, severity, clientId: input.clientId, pointId: input.pointId, variable: input.variable,
    firstTs: hits[0]!.ts, lastTs: hits[hits.length - 1]!.ts, count: hits.length, reason, details: { variable: input.variable, ...details },
  };
}

/** Rules over freshly assessed rows; only rows that arrived now can raise anything, so reprocessing old data stays quiet. */
export function evaluateRules(input: RuleInput, opts: RuleOptions = DEFAULT_RULE_OPTIONS): AnomalyCandidate[] {
  const out: AnomalyCandidate[] = [];
  const fresh = input.rows.filter((r) => r.isNew && r.quality !== "future");
  if (fresh.length === 0) return out;

  if (input.variable === "flow") {
    const g = input.grantedFlowLps;
    if (g) {
      const over = fresh.filter((r) => r.value !== null && r.value > g * (1 + opts.grantedFlowTolerance) && r.quality !== "out_of_range");
      if (over.length) {
        const peak = Math.max(...over.map((r) => r.value!));
        out.push(candidate(input, "flow_above_granted", peak > g * 1.5 ? "critical" : "warning", over, `Caudal ${fmt(peak)} L/s sobre el otorgado ${fmt(g)} L/s`, { peakLps: peak, grantedFlowLps: g }));
      }
    }
    const neg = fresh.filter((r) => r.value !== null && r.value < 0);
    if (neg.length) out.push(candidate(input, "negative_flow", "warning", neg, `Caudal negativo (${fmt(Math.min(...neg.map((r) => r.value!)))} L/s)`));
  }

  const spikes = fresh.filter((r) => r.quality === "spike");
  if (spikes.length) out.push(candidate(input, "spike", "info", spikes, `${spikes.length} pico(s) en ${input.variable}`));

  if (input.variable === "totalizer") {
    const frozen = fresh.filter((r) => r.quality === "frozen");
    if (frozen.length) out.push(candidate(input, "totalizer_frozen", "warning", frozen, "Totalizador sin avance con caudal positivo"));
  }

  if (input.variable === "water_table") {
    const trusted = input.rows.filter((r) => r.value !== null && isTrustedValue(r.quality) && r.quality !== "future");
    const hits: AssessedRow[] = [];
    let worstRate = 0;
    for (let i = 1; i < trusted.length; i++) {
      const a = trusted[i - 1]!;
      const b = trusted[i]!;
      if (!a.isNew && !b.isNew) continue;
      const hours = (b.ts.getTime() - a.ts.getTime()) / 3_600_000;
      if (hours <= 0 || hours > opts.levelDropMaxGapH) continue;
      const rate = (b.value! - a.value!) / hours;
      if (rate > opts.levelDropMPerH) {
        hits.push(b);
        worstRate = Math.max(worstRate, rate);
      }
    }
    if (hits.length) out.push(candidate(input, "level_drop", "warning", hits, `Descenso de nivel de ${fmt(worstRate)} m/h`, { rateMPerH: worstRate }));
  }

  const runs: AssessedRow[][] = [];
  let run: AssessedRow[] = [];
  for (const r of input.rows) {
    if (r.quality === "error_code") run.push(r);
    else {
      if (run.length) runs.push(run);
      run = [];
    }
  }
  if (run.length) runs.push(run);
  const sustained = runs.filter((r) => r.length >= opts.errorRunLength && r.some((x) => x.isNew));
  if (sustained.length) {
    const rows = sustained.flat();
    out.push(candidate(input, "error_code", "warning", rows, `Códigos de error del equipo en ${rows.length} lecturas seguidas (${input.variable})`, { runs: sustained.length }));
  }
  return out;
}
