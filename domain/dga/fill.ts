import type { Variable } from "@/domain/measurements/types";
import type { PointKind } from "./contract";
import type { StandardRule } from "./standards";
import { matchesSlot } from "./slots";

/** Measurement quality code (measurement.quality): 0 is good, anything else is flagged. */
const QUALITY_GOOD = 0;

export interface SlotMeasurement {
  variable: Variable;
  ts: Date;
  value: number | null;
  quality: number;
}

/** The values a slot reports, in canonical units; null means "no value". */
export interface SlotValues {
  flowLps: number | null;
  totalizerM3: number | null;
  levelM: number | null;
  heightCm: number | null;
}

export interface PreviousSlot {
  slotAt: Date;
  values: Pick<SlotValues, "totalizerM3">;
}

export type FillResult = { kind: "empty" } | { kind: "filled"; values: SlotValues; flaggedVariables: Variable[] };

function pickAtSlot(
  measurements: readonly SlotMeasurement[],
  variable: Variable,
  slotAt: Date,
): SlotMeasurement | undefined {
  let best: SlotMeasurement | undefined;
  for (const m of measurements) {
    if (m.variable !== variable || !matchesSlot(m.ts, slotAt)) continue;
    const better =
      !best ||
      (m.quality === QUALITY_GOOD && best.quality !== QUALITY_GOOD) ||
      ((m.quality === QUALITY_GOOD) === (best.quality === QUALITY_GOOD) && m.ts < best.ts);
    if (better) best = m;
  }
  return best;
}

const finiteOrNull = (m: SlotMeasurement | undefined): number | null =>
  m && m.value !== null && Number.isFinite(m.value) ? m.value : null;

/**
 * Fills a slot only from readings whose minute equals the slot (no nearest-neighbour guessing).
 * Groundwater level prefers the derived water-table depth over the raw level; surface height is
 * the level in cm. Average flow is Δtotalizer over the time since the previous slot, in L/s; a
 * negative result is kept so validation can flag it.
 */
export function fillSlot(input: {
  slotAt: Date;
  rule: Pick<StandardRule, "flowMode">;
  pointKind: PointKind;
  measurements: readonly SlotMeasurement[];
  previous?: PreviousSlot | null;
}): FillResult {
  const { slotAt, rule, pointKind, measurements, previous } = input;
  const at = (v: Variable) => pickAtSlot(measurements, v, slotAt);

  const hasTotalizer = pointKind !== "surface";
  const totalizer = hasTotalizer ? at("totalizer") : undefined;
  const level = pointKind === "groundwater" ? (at("water_table") ?? at("level")) : undefined;
  const height = pointKind === "surface" ? at("level") : undefined;
  const averaged = rule.flowMode === "average_from_totalizer" && hasTotalizer;
  const flow = averaged ? undefined : at("flow");

  const used: [Variable, SlotMeasurement | undefined][] = [
    ["flow", flow],
    ["totalizer", totalizer],
    [level?.variable ?? "water_table", level],
    ["level", height],
  ];
  if (used.every(([, m]) => m === undefined)) return { kind: "empty" };

  const totalizerM3 = finiteOrNull(totalizer);
  let flowLps = finiteOrNull(flow);
  if (averaged) {
    const previousTotalizerM3 = previous?.values.totalizerM3 ?? null;
    const seconds = previous ? (slotAt.getTime() - previous.slotAt.getTime()) / 1000 : 0;
    flowLps =
      totalizerM3 !== null && previousTotalizerM3 !== null && seconds > 0
        ? ((totalizerM3 - previousTotalizerM3) * 1000) / seconds
        : null;
  }
  const heightLevelM = finiteOrNull(height);

  return {
    kind: "filled",
    values: {
      flowLps,
      totalizerM3,
      levelM: finiteOrNull(level),
      heightCm: heightLevelM === null ? null : heightLevelM * 100,
    },
    flaggedVariables: used.filter(([, m]) => m !== undefined && m.quality !== QUALITY_GOOD).map(([v]) => v),
  };
}
