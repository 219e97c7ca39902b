import { deriveWaterTable, toCanonical, type CanonicalValue } from "../units";
import { worse, type QualityName } from "./quality";
import { RAW_UNITS, type PointSetup, type RawReading, type RawUnit, type Variable, type VariableMapping } from "./types";

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

function rawToString(raw: RawReading["rawValue"]): string | null {
  if (raw === null || raw === undefined) return null;
  return String(raw);
}

function asRawUnit(unit: string | null | undefined): RawUnit | null {
  if (!unit) return null;
  const u = unit.trim().replace("³", "3").toLowerCase();
  return RAW_UNITS.find((r) => r.toLowerCase() === u) ?? null;
}

function withFlag(v: CanonicalValue, flag: QualityName, reason: string): CanonicalValue {
  return { value: v.value, flag: worse(v.flag, flag), reason: v.reason ? `${v.reason}; ${reason}` : reason };
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
  const byKey = new Map<string, VariableMapping[]>();
  for (const m of mappings) byKey.set(m.key, [...(byKey.get(m.key) ?? []), m]);
  const futureLimitMs = ctx.now.getTime() + ctx.futureToleranceMs;
  const result: NormalizeResult = { rows: [], unmapped: [], rejected: [] };

  for (const reading of readings) {
    const maps = byKey.get(reading.key);
    if (!maps) {
      result.unmapped.push(reading);
      continue;
    }
    const tsMs = reading.measuredAt.getTime();
    if (!Number.isFinite(tsMs)) {
      result.rejected.push({ reading, reason: "invalid measuredAt" });
      continue;
    }
    for (const mapping of maps) {
      let cv = toCanonical(mapping, reading.rawValue, setup, { errorSentinels: ctx.errorSentinels });
      const providerUnit = asRawUnit(reading.rawUnit);
      if (providerUnit !== null && providerUnit !== mapping.unit) {
        cv = withFlag(cv, "suspect", `provider unit ${reading.rawUnit} differs from configured ${mapping.unit}`);
      }
      if (tsMs > futureLimitMs) cv = withFlag(cv, "future", `timestamp ${reading.measuredAt.toISOString()} is in the future`);
      const base = {
        pointId: ctx.pointId,
        ts: new Date(tsMs),
        rawValue: rawToString(reading.rawValue),
        rawUnit: reading.rawUnit ?? mapping.unit,
        source: ctx.source,
      };
      result.rows.push({ ...base, variable: mapping.variable, value: cv.value, quality: cv.flag, reason: cv.reason });
      if (mapping.variable === "level") {
        const wt = deriveWaterTable(cv, setup);
        if (wt) result.rows.push({ ...base, variable: "water_table", value: wt.value, quality: wt.flag, reason: wt.reason });
      }
    }
  }
  return result;
}
