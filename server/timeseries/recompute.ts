import { assessSeries, type AssessConfig, type SeriesRow } from "@/domain/measurements/assess";
import { bucketConsumption, consumptionDeltas } from "@/domain/measurements/consumption";
import { aggregateSeries, utcBucketStart } from "@/domain/measurements/aggregate";
import { worse, type QualityName } from "@/domain/measurements/quality";
import type { Variable } from "@/domain/measurements/types";
import { defaultResetConfirmSamples, type MeterChange } from "@/domain/measurements/meter-change";
import type { FlagUpdate, HourlyRollup, StoredRow } from "./types";

/** Rows on each side of the incoming ones whose flags may be rewritten; the loaded context extends further. */
const UPDATE_MARGIN_ROWS = 12;

export interface SeriesInput {
  variable: Variable;
  existing: readonly StoredRow[];
  existingConflicts: readonly StoredRow[];
  /** Incoming rows with quality/reason equal to their intrinsic base ones. */
  incoming: readonly StoredRow[];
  /** Recompute flags and rollups around the incoming rows even when all of them are already stored (a replay after a configuration change such as a declared meter change). */
  force?: boolean;
}

export interface PointConfig {
  pointId: number;
  grantedFlowLps: number | null;
  expectedIntervalMs: number | null;
  /** Readings that confirm an undeclared totalizer reset (binding setting, else from the reporting interval). */
  resetConfirmSamples?: number | null;
  meterChanges?: readonly MeterChange[];
}

/** The assessed value kept for a timestamp (the same-ts winner) — what rollups, consumption and rules use. */
export interface AssessedRow extends SeriesRow {
  ts: Date;
  value: number | null;
  quality: QualityName;
  reason: string | null;
  isNew: boolean;
}

export interface SeriesResult {
  variable: Variable;
  inserts: StoredRow[];
  conflicts: StoredRow[];
  flagUpdates: FlagUpdate[];
  hourly: HourlyRollup[];
  /** The whole assessed window (winners, sorted by ts); isNew marks timestamps that received data now. */
  assessed: AssessedRow[];
  /** Latest non-future row when it is one of the incoming rows. */
  latest: { ts: Date; value: number | null; quality: QualityName } | null;
}

interface Tagged extends SeriesRow {
  row: StoredRow;
  isConflict: boolean;
}

const HOUR = utcBucketStart("hour");
const HOUR_MS = 3_600_000;
const joinReason = (a: string | null, b: string): string => (a ? `${a}; ${b}` : b);

function configFor(variable: Variable, point: PointConfig): AssessConfig {
  return {
    grantedFlowLps: variable === "flow" ? point.grantedFlowLps : null,
    expectedIntervalMs: point.expectedIntervalMs,
    ...(variable === "totalizer"
      ? {
          resetConfirmSamples: point.resetConfirmSamples ?? defaultResetConfirmSamples(point.expectedIntervalMs),
          meterChanges: point.meterChanges ?? [],
        }
      : {}),
  };
}

const hourOf = (ms: number): number => Math.floor(ms / HOUR_MS) * HOUR_MS;
const conflictKey = (r: StoredRow) => `${r.ts.getTime()}|${r.rawValue ?? ""}|${r.source}`;
/** Deterministic order among incoming rows sharing a timestamp: the first one not already stored is inserted. */
const incomingOrder = (a: StoredRow, b: StoredRow): number =>
  Number(a.rawId ?? 0) - Number(b.rawId ?? 0) ||
  (a.rawValue ?? "").localeCompare(b.rawValue ?? "") ||
  a.source.localeCompare(b.source);

/** Existing rows win; incoming rows repeating a stored (ts, value) vanish; other same-ts values become conflicts. */
function mergeIncoming(input: SeriesInput): {
  all: StoredRow[];
  inserts: StoredRow[];
  newConflicts: StoredRow[];
  conflicts: StoredRow[];
} {
  const byTs = new Map<number, StoredRow>();
  for (const r of input.existing) byTs.set(r.ts.getTime(), r);
  const seen = new Set(input.existingConflicts.map(conflictKey));
  // Timestamps are independent of each other, so only rows sharing one need incomingOrder (a sort per series is costly).
  const groups = new Map<number, StoredRow | StoredRow[]>();
  for (const r of input.incoming) {
    const t = r.ts.getTime();
    const g = groups.get(t);
    if (g === undefined) groups.set(t, r);
    else if (Array.isArray(g)) g.push(r);
    else groups.set(t, [g, r]);
  }
  const inserts: StoredRow[] = [];
  const newConflicts: StoredRow[] = [];
  for (const [t, g] of groups) {
    for (const r of Array.isArray(g) ? g.sort(incomingOrder) : [g]) {
      const cur = byTs.get(t);
      if (!cur) {
        byTs.set(t, r);
        inserts.push(r);
        continue;
      }
      if (cur.value === r.value) continue;
      const k = conflictKey(r);
      if (seen.has(k)) continue;
      seen.add(k);
      newConflicts.push(r);
    }
  }
  const all = [...byTs.values()].sort((a, b) => a.ts.getTime() - b.ts.getTime());
  return {
    all,
    inserts,
    newConflicts,
    conflicts: newConflicts.length ? [...input.existingConflicts, ...newConflicts] : [...input.existingConflicts],
  };
}

const tag = (row: StoredRow, isConflict: boolean): Tagged => ({
  ts: row.ts,
  value: row.value,
  rawValue: row.rawValue,
  quality: row.baseQuality,
  reason: row.baseReason,
  source: row.source,
  row,
  isConflict,
});

/**
 * Merges incoming rows into one series window and recomputes its flags, rollups and latest value.
 * Deterministic in the set of rows seen; `flowContext` (assessed flow rows of the same point) lets the
 * totalizer tell a frozen register from a stopped pump.
 */
export function recomputeSeries(
  point: PointConfig,
  input: SeriesInput,
  flowContext?: readonly SeriesRow[],
): SeriesResult {
  const { all, inserts, newConflicts, conflicts } = mergeIncoming(input);
  const empty: SeriesResult = {
    variable: input.variable,
    inserts: [],
    conflicts: [],
    flagUpdates: [],
    hourly: [],
    assessed: [],
    latest: null,
  };
  if (inserts.length === 0 && newConflicts.length === 0 && !input.force) return empty;

  const tagged: Tagged[] = new Array<Tagged>(all.length + conflicts.length);
  for (let i = 0; i < all.length; i++) tagged[i] = tag(all[i]!, false);
  for (let i = 0; i < conflicts.length; i++) tagged[all.length + i] = tag(conflicts[i]!, true);
  const assessment = assessSeries(tagged, input.variable, configFor(input.variable, point), { flow: flowContext });
  const winners = assessment.rows;

  const newTs = new Set<number>();
  for (const r of inserts) newTs.add(r.ts.getTime());
  for (const r of newConflicts) newTs.add(r.ts.getTime());
  if (input.force) for (const r of input.incoming) newTs.add(r.ts.getTime());
  const insertSet = new Set(inserts);
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < all.length; i++) {
    if (!newTs.has(all[i]!.ts.getTime())) continue;
    if (i < lo) lo = i;
    hi = i;
  }
  lo -= UPDATE_MARGIN_ROWS;
  hi += UPDATE_MARGIN_ROWS;

  const flagUpdates: FlagUpdate[] = [];
  const touchedHours = new Set<number>();
  // Both `all` and the assessed winners are sorted by ts, and every ts of `all` has a winner: walk them together.
  for (let i = 0, j = 0; i < all.length; i++) {
    const r = all[i]!;
    const t = r.ts.getTime();
    while (winners[j]!.ts.getTime() < t) j++;
    const w = winners[j]!;
    let quality: QualityName = w.quality;
    let reason = w.reason;
    if (w.row !== r) {
      quality = worse(r.baseQuality, "duplicate_conflict");
      reason = joinReason(
        r.baseReason,
        `superseded by conflicting reading ${w.rawValue ?? "null"} (${w.source ?? "?"})`,
      );
    }
    if (insertSet.has(r)) {
      r.quality = quality;
      r.reason = reason;
      touchedHours.add(hourOf(t));
    } else if (i >= lo && i <= hi && (quality !== r.quality || reason !== r.reason)) {
      flagUpdates.push({ pointId: r.pointId, variable: r.variable, ts: r.ts, quality, reason });
      touchedHours.add(hourOf(t));
    }
  }
  for (const c of newConflicts) touchedHours.add(hourOf(c.ts.getTime()));

  const assessed: AssessedRow[] = assessment.rows.map((w) => ({
    ts: w.ts,
    value: w.value,
    rawValue: w.rawValue,
    quality: w.quality,
    reason: w.reason,
    source: w.source,
    isNew: newTs.has(w.ts.getTime()),
  }));
  const consumption = new Map<number, number>();
  if (input.variable === "totalizer") {
    const deltas = consumptionDeltas(assessment, { meterChanges: point.meterChanges });
    for (const d of deltas) {
      if (!newTs.has(d.from.getTime()) && !newTs.has(d.to.getTime()) && !touchedHours.has(hourOf(d.to.getTime())))
        continue;
      // Volume of a delta is spread over every hour it spans, including hours without readings —
      // except a long silent gap, booked to the hour of its later reading (domain MAX_SPREAD_MS).
      if (d.bookedAtEnd) touchedHours.add(hourOf(d.to.getTime() - 1));
      else for (let h = hourOf(d.from.getTime()); h < d.to.getTime(); h += HOUR_MS) touchedHours.add(h);
    }
    for (const b of bucketConsumption(deltas, HOUR)) consumption.set(b.bucketStart.getTime(), b.volumeM3);
  }
  const stats = new Map(
    aggregateSeries(
      assessed.filter((r) => touchedHours.has(hourOf(r.ts.getTime()))),
      HOUR,
    ).map((s) => [s.bucketStart.getTime(), s]),
  );
  const hourly: HourlyRollup[] = [...touchedHours]
    .sort((a, b) => a - b)
    .map((h) => {
      const s = stats.get(h);
      return {
        pointId: point.pointId,
        variable: input.variable,
        bucket: new Date(h),
        min: s?.min ?? null,
        max: s?.max ?? null,
        avg: s?.avg ?? null,
        last: s?.last ?? null,
        count: s?.count ?? 0,
        excluded: s?.excluded ?? 0,
        consumptionM3: input.variable === "totalizer" ? (consumption.get(h) ?? 0) : null,
        worstQuality: s?.worstQuality ?? "ok",
      };
    });

  let lastPresent: AssessedRow | undefined;
  for (let i = assessed.length - 1; i >= 0 && !lastPresent; i--)
    if (assessed[i]!.quality !== "future") lastPresent = assessed[i];
  const latest =
    lastPresent && lastPresent.isNew
      ? { ts: lastPresent.ts, value: lastPresent.value, quality: lastPresent.quality }
      : null;
  return { variable: input.variable, inserts, conflicts: newConflicts, flagUpdates, hourly, assessed, latest };
}
