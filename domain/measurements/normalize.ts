import { deriveWaterTable, toCanonical, type CanonicalOptions, type CanonicalValue } from "../units";
import { worse, type QualityName } from "./quality";
import {
  RAW_UNITS,
  type PointSetup,
  type RawReading,
  type RawUnit,
  type Variable,
  type VariableMapping,
} from "./types";

/** One row of the `measurement` table before insert (value in canonical units: L/s, m3, m). */
export interface CanonicalRow {
  pointId: number;
  variable: Variable;
  ts: Date;
  value: number | null;
  rawValue: string | null;
  rawUnit: string | null;
  quality: QualityName;
  reason: string | null;
  source: string;
}

export interface NormalizeContext {
  pointId: number;
  source: string;
  /** The caller's clock; readings after now + futureToleranceMs are flagged `future`. */
  now: Date;
  futureToleranceMs: number;
  errorSentinels?: readonly number[];
}

export interface NormalizeResult {
  rows: CanonicalRow[];
  /** Readings whose key no mapping mentions (not an error: providers send battery, rssi, …). */
  unmapped: RawReading[];
  /** Readings that cannot become a row at all (invalid timestamp: the row key would be meaningless). */
  rejected: { reading: RawReading; reason: string }[];
}

/** The limits normalizeInto applies; the caller's clock enters only through futureLimitMs. */
export interface NormalizeLimits {
  /** Readings stamped after this instant (ms since the epoch) are flagged `future`. */
  futureLimitMs: number;
  /** Raw values that are logger status codes (default DEFAULT_ERROR_SENTINELS). */
  errorSentinels?: readonly number[];
}

/**
 * Builds one output row; called exactly once per emitted row, in output order.
 * `ts` is shared by every row of one reading, and `cv` by a level row and its direct-mode water_table
 * row: copy their fields, never mutate them.
 */
export type RowBuilder<R> = (
  variable: Variable,
  ts: Date,
  rawValue: string | null,
  rawUnit: string,
  cv: Readonly<CanonicalValue>,
) => R;

/** Where normalizeInto reports readings that yield no row; leave a list out to skip collecting it. */
export interface NormalizeSink {
  unmapped?: RawReading[];
  rejected?: { reading: RawReading; reason: string }[];
}

const UNIT_BY_LOWER = new Map<string, RawUnit>(RAW_UNITS.map((u) => [u.toLowerCase(), u]));
const NO_OPTIONS: CanonicalOptions = {};

function asRawUnit(unit: string | null | undefined): RawUnit | null {
  if (!unit) return null;
  return UNIT_BY_LOWER.get(unit.trim().replace("³", "3").toLowerCase()) ?? null;
}

function withFlag(v: CanonicalValue, flag: QualityName, reason: string): CanonicalValue {
  return { value: v.value, flag: worse(v.flag, flag), reason: v.reason ? `${v.reason}; ${reason}` : reason };
}

function mappingsByKey(mappings: readonly VariableMapping[]): Map<string, VariableMapping[]> {
  const byKey = new Map<string, VariableMapping[]>();
  for (const m of mappings) {
    const list = byKey.get(m.key);
    if (list) list.push(m);
    else byKey.set(m.key, [m]);
  }
  return byKey;
}

/**
 * The normalisation rules, writing whatever row shape the caller needs (see normalizeReadings for the rules).
 * Appends to `out` one `makeRow` result per emitted row; otherwise it allocates only a Date per reading and the
 * canonical value per mapping (one more per added flag): this loop runs for every ingested reading, so no
 * spreads or intermediate rows. Returns the number of rejected readings (also pushed to sink.rejected if given).
 */
export function normalizeInto<R>(
  readings: readonly RawReading[],
  mappings: readonly VariableMapping[],
  setup: PointSetup,
  limits: NormalizeLimits,
  makeRow: RowBuilder<R>,
  out: R[],
  sink?: NormalizeSink,
): number {
  const byKey = mappingsByKey(mappings);
  const options = limits.errorSentinels ? { errorSentinels: limits.errorSentinels } : NO_OPTIONS;
  const futureLimitMs = limits.futureLimitMs;
  const direct = setup.levelMode === "direct";
  let rejected = 0;
  for (const reading of readings) {
    const maps = byKey.get(reading.key);
    if (!maps) {
      sink?.unmapped?.push(reading);
      continue;
    }
    const tsMs = reading.measuredAt.getTime();
    if (!Number.isFinite(tsMs)) {
      rejected++;
      sink?.rejected?.push({ reading, reason: "invalid measuredAt" });
      continue;
    }
    const ts = new Date(tsMs);
    const rawValue = reading.rawValue === null || reading.rawValue === undefined ? null : String(reading.rawValue);
    const providerUnit = asRawUnit(reading.rawUnit);
    for (const mapping of maps) {
      let cv = toCanonical(mapping, reading.rawValue, setup, options);
      if (providerUnit !== null && providerUnit !== mapping.unit) {
        cv = withFlag(cv, "suspect", `provider unit ${reading.rawUnit} differs from configured ${mapping.unit}`);
      }
      if (tsMs > futureLimitMs) cv = withFlag(cv, "future", `timestamp ${ts.toISOString()} is in the future`);
      const rawUnit = reading.rawUnit ?? mapping.unit;
      out.push(makeRow(mapping.variable, ts, rawValue, rawUnit, cv));
      if (mapping.variable === "level") {
        // In direct mode deriveWaterTable returns a copy of cv; the row builder copies the fields anyway.
        const wt = direct ? cv : deriveWaterTable(cv, setup);
        if (wt) out.push(makeRow("water_table", ts, rawValue, rawUnit, wt));
      }
    }
  }
  return rejected;
}

/**
 * Turns provider readings into canonical rows (flow L/s, totalizer m3, level m, water_table m depth).
 * Every mapped reading yields a row, even when unusable (quality says why; raw value is kept for audit and replay).
 * A level row is followed by a derived water_table row whenever the depth to water can be computed
 * (always in levelMode "direct"; with sensorInstallDepthM in "depth_from_install").
 */
export function normalizeReadings(
  readings: readonly RawReading[],
  mappings: readonly VariableMapping[],
  setup: PointSetup,
  ctx: NormalizeContext,
): NormalizeResult {
  const result: NormalizeResult = { rows: [], unmapped: [], rejected: [] };
  const { pointId, source } = ctx;
  const limits: NormalizeLimits = {
    futureLimitMs: ctx.now.getTime() + ctx.futureToleranceMs,
    errorSentinels: ctx.errorSentinels,
  };
  normalizeInto(
    readings,
    mappings,
    setup,
    limits,
    (variable, ts, rawValue, rawUnit, cv): CanonicalRow => ({
      pointId,
      variable,
      ts,
      value: cv.value,
      rawValue,
      rawUnit,
      quality: cv.flag,
      reason: cv.reason,
      source,
    }),
    result.rows,
    result,
  );
  return result;
}
