import type { QualityName } from "@/domain/measurements/quality";
import type { Variable } from "@/domain/measurements/types";

/** A `measurement` row as loaded for a window: assessed flags plus the intrinsic ones they are recomputed from. */
export interface StoredRow {
  pointId: number;
  variable: Variable;
  ts: Date;
  value: number | null;
  rawValue: string | null;
  rawUnit: string | null;
  quality: QualityName;
  reason: string | null;
  baseQuality: QualityName;
  baseReason: string | null;
  source: string;
  rawId: string | null;
}

/** A row about to be written (measurement or measurement_conflict): assessed quality plus intrinsic base. */
export type WriteRow = StoredRow;

export interface FlagUpdate {
  pointId: number;
  variable: Variable;
  ts: Date;
  quality: QualityName;
  reason: string | null;
}

/** One hourly rollup row (UTC hour). Statistics over trusted values; consumption only for the totalizer. */
export interface HourlyRollup {
  pointId: number;
  variable: Variable;
  bucket: Date;
  min: number | null;
  max: number | null;
  avg: number | null;
  last: number | null;
  count: number;
  excluded: number;
  consumptionM3: number | null;
  worstQuality: QualityName;
}

export const seriesKey = (pointId: number, variable: Variable): string => `${pointId}:${variable}`;
