import { DEFAULT_MAX_RATE_LPS, type AssessConfig, type Assessment, type SeriesRow } from "./assess";
import { countsForConsumption } from "./quality";
import { meterChangeBetween, volumeAcrossChange, type MeterChange } from "./meter-change";

/** Volume drawn between two consecutive consumption-grade totalizer readings (m3, never negative). */
export interface ConsumptionDelta {
  from: Date;
  to: Date;
  volumeM3: number;
  kind: "normal" | "reset" | "rollover";
  /**
   * A silent gap longer than MAX_SPREAD_MS (no reading at all in between): its volume is booked to the
   * bucket of the later reading instead of being spread hour by hour over weeks or years nobody measured
   * (a device clock jumping back 25 years would otherwise write ~220,000 hourly rollups).
   */
  bookedAtEnd?: true;
}

/** Longest interval whose volume is apportioned over the hours it spans (7 days). */
const MAX_SPREAD_MS = 7 * 24 * 3600_000;

export type ConsumptionOptions = Pick<AssessConfig, "rolloverM3" | "maxRateLps"> & {
  meterChanges?: readonly MeterChange[];
};

/**
 * Per-interval consumption (m3, ≥ 0) from an assessed totalizer series. Only rows whose quality counts
 * for consumption anchor an interval, so glitches, spikes and frozen stretches are bridged and their
 * volume is spread over the whole bridged interval. Because the assessment is set-based, the result is
 * the same whatever order or how many times the readings arrived.
 * Across a rollover: (rolloverM3 − previous) + new. Across a confirmed reset the counter is assumed to
 * restart from zero: the new value is counted when it is physically plausible for the interval
 * (≤ maxRateLps), otherwise 0 (a replacement meter with an unknown start reading). Across a declared meter
 * change: the old meter up to its final reading plus the new one from its declared initial reading.
 */
export function consumptionDeltas(
  assessment: Pick<Assessment<SeriesRow>, "rows">,
  options: ConsumptionOptions = {},
): ConsumptionDelta[] {
  const maxRate = options.maxRateLps === undefined ? DEFAULT_MAX_RATE_LPS : options.maxRateLps;
  const usable = assessment.rows
    .filter((r): r is SeriesRow & { value: number } => r.value !== null && countsForConsumption(r.quality))
    .slice()
    .sort((a, b) => a.ts.getTime() - b.ts.getTime());
  // Only long gaps need it (rare), so the sorted instants are built on first use, off the hot path.
  let allTimes: number[] | undefined;
  /** Whether some reading (of any quality) lies strictly between the two instants. */
  const anyBetween = (fromMs: number, toMs: number): boolean => {
    allTimes ??= assessment.rows.map((r) => r.ts.getTime()).sort((x, y) => x - y);
    let lo = 0;
    let hi = allTimes.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (allTimes[mid]! <= fromMs) lo = mid + 1;
      else hi = mid;
    }
    return lo < allTimes.length && allTimes[lo]! < toMs;
  };
  const deltas: ConsumptionDelta[] = [];
  for (let k = 1; k < usable.length; k++) {
    const a = usable[k - 1]!;
    const b = usable[k]!;
    const seconds = (b.ts.getTime() - a.ts.getTime()) / 1000;
    if (!(seconds > 0)) continue;
    let volumeM3: number;
    let kind: ConsumptionDelta["kind"] = "normal";
    const declared =
      b.quality === "reset" ? meterChangeBetween(options.meterChanges, a.ts.getTime(), b.ts.getTime()) : null;
    if (declared) {
      kind = "reset";
      volumeM3 = volumeAcrossChange(declared, a.value, b.value);
    } else if (b.quality === "rollover" && options.rolloverM3) {
      kind = "rollover";
      volumeM3 = Math.max(0, options.rolloverM3 - a.value) + b.value;
    } else if (b.quality === "reset") {
      kind = "reset";
      const plausible = maxRate === null || (b.value * 1000) / seconds <= maxRate;
      volumeM3 = plausible ? b.value : 0;
    } else {
      volumeM3 = Math.max(0, b.value - a.value);
    }
    const d: ConsumptionDelta = { from: a.ts, to: b.ts, volumeM3, kind };
    if (seconds * 1000 > MAX_SPREAD_MS && !anyBetween(a.ts.getTime(), b.ts.getTime())) d.bookedAtEnd = true;
    deltas.push(d);
  }
  return deltas;
}

/** Sum of deltas (m3). */
export function totalConsumptionM3(deltas: readonly ConsumptionDelta[]): number {
  return deltas.reduce((s, d) => s + d.volumeM3, 0);
}

export interface ConsumptionBucket {
  bucketStart: Date;
  volumeM3: number;
}

/**
 * Consumption per bucket (m3). `bucketStart` maps an instant to the start of its bucket (≤ ts) and so
 * decides hour/day/month and time zone. A delta covers (from, to]; when it spans several buckets it is
 * apportioned linearly by time, so the bucket volumes add up to the total. A delta marked bookedAtEnd
 * goes whole to the bucket holding its later reading.
 */
export function bucketConsumption(
  deltas: readonly ConsumptionDelta[],
  bucketStart: (ts: Date) => Date,
): ConsumptionBucket[] {
  const acc = new Map<number, number>();
  const add = (b: number, v: number) => acc.set(b, (acc.get(b) ?? 0) + v);
  for (const d of deltas) {
    const from = d.from.getTime();
    const to = d.to.getTime();
    const span = to - from;
    if (span <= 0) {
      add(bucketStart(d.to).getTime(), d.volumeM3);
      continue;
    }
    if (d.bookedAtEnd) {
      add(bucketStart(new Date(to - 1)).getTime(), d.volumeM3);
      continue;
    }
    let cur = to;
    while (cur > from) {
      const b = bucketStart(new Date(cur - 1)).getTime();
      if (!(b < cur)) throw new RangeError("bucketStart must return an instant at or before its argument");
      const segStart = Math.max(b, from);
      add(b, (d.volumeM3 * (cur - segStart)) / span);
      cur = segStart;
    }
  }
  return [...acc.entries()]
    .sort((x, y) => x[0] - y[0])
    .map(([b, volumeM3]) => ({ bucketStart: new Date(b), volumeM3 }));
}

export interface RightsInput {
  volumeM3: number;
  periodHours: number;
  grantedFlowLps?: number | null;
  annualVolumeM3?: number | null;
}

export interface RightsCompliance {
  /** Mean flow over the period (L/s); null for a non-positive period. */
  avgFlowLps: number | null;
  /** avgFlowLps as a percentage of the granted flow; null without a granted flow. */
  pctOfGrantedFlow: number | null;
  /** volumeM3 as a percentage of the annual granted volume; null without one. */
  pctOfAnnualVolume: number | null;
}

/** Compares a period's consumption (m3 over periodHours) with the water right (L/s, m3/year). */
export function complianceOfRights(input: RightsInput): RightsCompliance {
  const avgFlowLps = input.periodHours > 0 ? (input.volumeM3 * 1000) / (input.periodHours * 3600) : null;
  const g = input.grantedFlowLps;
  const a = input.annualVolumeM3;
  return {
    avgFlowLps,
    pctOfGrantedFlow: avgFlowLps !== null && g ? (avgFlowLps / g) * 100 : null,
    pctOfAnnualVolume: a ? (input.volumeM3 / a) * 100 : null,
  };
}
