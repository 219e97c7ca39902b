import { normalizeInto } from "@/domain/measurements/normalize";
import type { PointSetup, RawReading, VariableMapping } from "@/domain/measurements/types";
import type { StoredRow } from "@/server/timeseries/types";

/*
 * The processor's entry to domain/measurements/normalize.ts: the same rules (normalizeInto), writing
 * StoredRow directly so each emitted row is one allocation (rows.test.ts checks it equals normalizeReadings).
 */

export interface RowContext {
  pointId: number;
  source: string;
  rawId: string | null;
  /** Readings stamped after this instant (ms) are flagged `future`. */
  futureLimitMs: number;
}

/** Canonical rows of one binding's readings, appended to `out`; returns how many readings had an invalid time. */
export function readingsToRows(
  readings: readonly RawReading[],
  mappings: readonly VariableMapping[],
  setup: PointSetup,
  ctx: RowContext,
  out: StoredRow[],
): number {
  const { pointId, source, rawId } = ctx;
  return normalizeInto(
    readings,
    mappings,
    setup,
    ctx,
    (variable, ts, rawValue, rawUnit, cv): StoredRow => ({
      pointId,
      variable,
      ts,
      value: cv.value,
      rawValue,
      rawUnit,
      quality: cv.flag,
      reason: cv.reason,
      baseQuality: cv.flag,
      baseReason: cv.reason,
      source,
      rawId,
    }),
    out,
  );
}
