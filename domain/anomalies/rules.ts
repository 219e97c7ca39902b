import type { SeriesRow } from "@/domain/measurements/assess";
import { isTrustedValue } from "@/domain/measurements/quality";
import type { Variable } from "@/domain/measurements/types";
import { variableLabel } from "@/domain/i18n/labels";

/** Anomaly types double as notification event names (domain/notifications/events.ts). */
/** @public the canonical list (its type is derived from it). */
export const ANOMALY_TYPES = [
  "point_offline",
  "flow_above_granted",
  "level_drop",
  "totalizer_frozen",
  "negative_flow",
  "spike",
  "error_code",
  "right_forecast",
  "level_forecast",
] as const;
export type AnomalyType = (typeof ANOMALY_TYPES)[number];
type Severity = "info" | "warning" | "critical";

/** An assessed row of the window; isNew marks rows that arrived in this batch. */
export interface RuleRow extends SeriesRow {
  isNew: boolean;
}

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
  /**
   * A water table deeper than the deepest reading of the lookback (up to levelDropRecentMin ago) by this much (m), with the pump
   * stopped, is a level collapse. Drawdown while pumping and recovery after a stop never exceed the
   * depth the pump itself reached, so pump cycles stay quiet (calibrated in domain/anomalies/calibration.test.ts).
   */
  levelDropMarginM: number;
  levelDropLookbackH: number;
  /**
   * The reference excludes the last minutes (about one pump cycle): a collapse that happens while the
   * pump runs drags the current cycle's readings down with it, so they cannot be the yardstick.
   */
  levelDropRecentMin: number;
  /** Flow at or below this (L/s) is a stopped pump. */
  pumpOffFlowLps: number;
  /** Farthest flow reading (ms) that tells the pump state at a level reading. */
  flowMatchToleranceMs: number;
  /** Consecutive error-code readings that make a sustained error. */
  errorRunLength: number;
}

export const DEFAULT_RULE_OPTIONS: RuleOptions = {
  grantedFlowTolerance: 0.2,
  levelDropMarginM: 1.5,
  levelDropLookbackH: 6,
  levelDropRecentMin: 50,
  pumpOffFlowLps: 0.1,
  flowMatchToleranceMs: 5 * 60_000,
  errorRunLength: 3,
};

export interface RuleInput {
  clientId: number;
  pointId: number;
  grantedFlowLps: number | null;
  variable: Variable;
  /** Assessed window (sorted by ts). */
  rows: readonly RuleRow[];
  /** Assessed flow of the same point (for water_table: pump running or stopped); absent when the point has no flow. */
  flow?: readonly SeriesRow[];
}

/** es-CL, at most two decimals ("-0,28", "5", "1.234,5"): these reasons are read by users as they are stored. */
const reasonNumber = new Intl.NumberFormat("es-CL", { maximumFractionDigits: 2 });
const fmt = (n: number) => reasonNumber.format(Math.round(n * 100) / 100);
const inWords = (v: Variable | "point") => variableLabel(v).toLowerCase();

function candidate(
  input: RuleInput,
  type: AnomalyType,
  severity: Severity,
  hits: readonly RuleRow[],
  reason: string,
  details: Record<string, unknown> = {},
): AnomalyCandidate {
  return {
    type,
    severity,
    clientId: input.clientId,
    pointId: input.pointId,
    variable: input.variable,
    firstTs: hits[0]!.ts,
    lastTs: hits[hits.length - 1]!.ts,
    count: hits.length,
    reason,
    details: { variable: input.variable, ...details },
  };
}

/** Pump state at `ts` from the nearest trusted flow reading within tolerance: null when unknown. */
function pumpRunningAt(flow: readonly SeriesRow[], ts: number, opts: RuleOptions): boolean | null {
  let best: SeriesRow | null = null;
  let bestD = Infinity;
  for (const f of flow) {
    if (f.value === null || !isTrustedValue(f.quality)) continue;
    const d = Math.abs(f.ts.getTime() - ts);
    if (d < bestD) [best, bestD] = [f, d];
  }
  return best && bestD <= opts.flowMatchToleranceMs ? best.value! > opts.pumpOffFlowLps : null;
}

function levelDrop(input: RuleInput, opts: RuleOptions): { hits: RuleRow[]; worstM: number } {
  const trusted = input.rows.filter((r) => r.value !== null && isTrustedValue(r.quality) && r.quality !== "future");
  const hits: RuleRow[] = [];
  let worstM = 0;
  const lookbackMs = opts.levelDropLookbackH * 3_600_000;
  const recentMs = opts.levelDropRecentMin * 60_000;
  for (let i = 0; i < trusted.length; i++) {
    const b = trusted[i]!;
    if (!b.isNew) continue;
    const t = b.ts.getTime();
    // Pumping (or unknown pump state on a point that measures flow): the depth is drawdown, not a collapse.
    if (input.flow?.length && pumpRunningAt(input.flow, t, opts) !== false) continue;
    let deepest = -Infinity;
    let n = 0;
    for (let j = i - 1; j >= 0 && t - trusted[j]!.ts.getTime() <= lookbackMs; j--) {
      if (t - trusted[j]!.ts.getTime() < recentMs) continue;
      deepest = Math.max(deepest, trusted[j]!.value!);
      n++;
    }
    if (n < 3) continue;
    const below = b.value! - deepest;
    if (below > opts.levelDropMarginM) {
      hits.push(b);
      worstM = Math.max(worstM, below);
    }
  }
  return { hits, worstM };
}

/** Rules over freshly assessed rows; only rows that arrived now can raise anything, so reprocessing old data stays quiet. */
export function evaluateRules(input: RuleInput, opts: RuleOptions = DEFAULT_RULE_OPTIONS): AnomalyCandidate[] {
  const out: AnomalyCandidate[] = [];
  const fresh = input.rows.filter((r) => r.isNew && r.quality !== "future");
  if (fresh.length === 0) return out;

  if (input.variable === "flow") {
    const g = input.grantedFlowLps;
    if (g) {
      const over = fresh.filter(
        (r) => r.value !== null && r.value > g * (1 + opts.grantedFlowTolerance) && r.quality !== "out_of_range",
      );
      if (over.length) {
        const peak = Math.max(...over.map((r) => r.value!));
        out.push(
          candidate(
            input,
            "flow_above_granted",
            peak > g * 1.5 ? "critical" : "warning",
            over,
            `Caudal ${fmt(peak)} L/s sobre el otorgado ${fmt(g)} L/s`,
            { peakLps: peak, grantedFlowLps: g },
          ),
        );
      }
    }
    const neg = fresh.filter((r) => r.value !== null && r.value < 0);
    if (neg.length)
      out.push(
        candidate(
          input,
          "negative_flow",
          "warning",
          neg,
          `Caudal negativo (${fmt(Math.min(...neg.map((r) => r.value!)))} L/s)`,
        ),
      );
  }

  const spikes = fresh.filter((r) => r.quality === "spike");
  if (spikes.length)
    out.push(
      candidate(
        input,
        "spike",
        "info",
        spikes,
        `${spikes.length} ${spikes.length === 1 ? "pico" : "picos"} en ${inWords(input.variable)}`,
      ),
    );

  if (input.variable === "totalizer") {
    const frozen = fresh.filter((r) => r.quality === "frozen");
    if (frozen.length)
      out.push(candidate(input, "totalizer_frozen", "warning", frozen, "Totalizador sin avance con caudal positivo"));
  }

  if (input.variable === "water_table") {
    const { hits, worstM } = levelDrop(input, opts);
    if (hits.length) {
      out.push(
        candidate(
          input,
          "level_drop",
          "warning",
          hits,
          `Nivel ${fmt(worstM)} m bajo el más profundo de las ${opts.levelDropLookbackH} h previas, con la bomba detenida`,
          { belowDeepestM: worstM },
        ),
      );
    }
  }

  const runs: RuleRow[][] = [];
  let run: RuleRow[] = [];
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
    out.push(
      candidate(
        input,
        "error_code",
        "warning",
        rows,
        `Códigos de error del equipo en ${rows.length} lecturas seguidas (${inWords(input.variable)})`,
        { runs: sustained.length },
      ),
    );
  }
  return out;
}
