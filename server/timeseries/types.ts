import type { QualityName } from "@/domain/measurements/quality";
import type { Variable } from "@/domain/measurements/types";
import type { CanonicalRow } from "@/domain/measurements/normalize";
import type { BucketStats } from "@/domain/measurements/aggregate";

/** A `measurement` row as loaded for a window: assessed flags plus the intrinsic ones they are recomputed from. */
export interface StoredRow extends CanonicalRow {
  baseQuality: QualityName;
  baseReason: string | null;
  rawId: string | null;
}

export interface FlagUpdate {
  pointId: number;
  variable: Variable;
  ts: Date;
  quality: QualityName;
  reason: string | null;
}

/** One hourly rollup row (UTC hour). Statistics over trusted values; consumption only for the totalizer. */
export interface HourlyRollup extends Omit<BucketStats, "bucketStart"> {
  pointId: number;
  variable: Variable;
  bucket: Date;
  consumptionM3: number | null;
}

export const seriesKey = (pointId: number, variable: Variable): string => `${pointId}:${variable}`;
