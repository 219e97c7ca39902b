import { deriveWaterTable, toCanonical, type CanonicalValue } from "@/domain/units";
import { worse, type QualityName } from "@/domain/measurements/quality";
import { RAW_UNITS, type PointSetup, type RawReading, type RawUnit, type VariableMapping } from "@/domain/measurements/types";
import type { StoredRow } from "@/server/timeseries/types";

/*
 * The processor's copy of domain/measurements/normalize.ts#normalizeReadings, writing StoredRow directly.
 * Same rules and output (rows.test.ts checks equivalence property-wise); it exists because the domain
 * version builds each row with an object spread and then the processor copied it again: ~15 µs per reading,
 * most of it GC, against < 1 µs here. Keep both in step when normalisation rules change.
 */

export interface RowContext {
  pointId: number;
  source: string;
  rawId: string | null;
  /** Readings stamped after this instant (ms) are flagged `future`. */
  futureLimitMs: number;
}

const UNIT_BY_LOWER = new Map<string, RawUnit>(RAW_UNITS.map((u) => [u.toLowerCase(), u]));

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

/** Canonical rows of one binding's readings, appended to `out`; returns how many readings had an invalid time. */
export function readingsToRows(readings: readonly RawReading[], mappings: readonly VariableMapping[], setup: PointSetup, ctx: RowContext, out: StoredRow[]): number {
  const byKey = mappingsByKey(mappings);
  let rejected = 0;
  for (const reading of readings) {
    const maps = byKey.get(reading.key);
    if (!maps) continue;
    const tsMs = reading.measuredAt.getTime();
    if (!Number.isFinite(tsMs)) {
      rejected++;
      continue;
    }
    const ts = new Date(tsMs);
    const rawValue = reading.rawValue === null || reading.rawValue === undefined ? null : String(reading.rawValue);
    const providerUnit = asRawUnit(reading.rawUnit);
    for (const mapping of maps) {
      let cv = toCanonical(mapping, reading.rawValue, setup);
      if (providerUnit !== null && providerUnit !== mapping.unit) cv = withFlag(cv, "suspect", `provider unit ${reading.rawUnit} differs from configured ${mapping.unit}`);
      if (tsMs > ctx.futureLimitMs) cv = withFlag(cv, "future", `timestamp ${ts.toISOString()} is in the future`);
      const rawUnit = reading.rawUnit ?? mapping.unit;
      out.push(row(ctx, mapping.variable, ts, rawValue, rawUnit, cv));
      if (mapping.variable === "level") {
        const wt = setup.levelMode === "direct" ? cv : deriveWaterTable(cv, setup);
        if (wt) out.push(row(ctx, "water_table", ts, rawValue, rawUnit, wt));
      }
    }
  }
  return rejected;
}

function row(ctx: RowContext, variable: StoredRow["variable"], ts: Date, rawValue: string | null, rawUnit: string, cv: CanonicalValue): StoredRow {
  return {
    pointId: ctx.pointId, variable, ts, value: cv.value, rawValue, rawUnit,
    quality: cv.flag, reason: cv.reason, baseQuality: cv.flag, baseReason: cv.reason, source: ctx.source, rawId: ctx.rawId,
  };
}
