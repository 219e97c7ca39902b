import { isValidObraCode } from "@/domain/obra";
import { isValidRut } from "@/domain/rut";
import { TOTALIZER_MAX_CHARS, type PointKind } from "./contract";
import type { FillResult, SlotValues } from "./fill";
import type { StandardRule } from "./standards";

/** @public the canonical list (its type is derived from it). */
export const SLOT_REASONS = [
  "flow_missing",
  "flow_negative",
  "flow_above_granted",
  "flow_above_1000_no_right",
  "totalizer_missing",
  "totalizer_zero",
  "totalizer_negative",
  "totalizer_backwards",
  "totalizer_frozen",
  "totalizer_too_long",
  "level_missing",
  "level_negative",
  "height_missing",
  "all_empty",
  "quality_flagged",
  "obra_code_missing",
  "obra_code_invalid",
  "informante_missing",
  "informante_invalid",
  "centro_control_missing",
  "centro_control_invalid",
  "no_data_stale",
  "no_data_written_off",
] as const;
export type SlotReason = (typeof SLOT_REASONS)[number];

export interface DgaPointConfig {
  obraCode: string | null | undefined;
  informanteRut: string | null | undefined;
  informanteHasPassword: boolean;
  centroControlRut: string | null | undefined;
}

export interface ValidationContext {
  kind: PointKind;
  rule: Pick<StandardRule, "allowEmptyLevel" | "allowEmptyHeight">;
  grantedFlowLps?: number | null;
  /** Allowed excess over the granted flow, in percent. */
  tolerancePct?: number;
  /** Flow above this with no right loaded goes to review. */
  noRightMaxFlowLps?: number;
  previousTotalizerM3?: number | null;
  /** Slots before this one, oldest first (for the frozen-totalizer rule). */
  recentSlots?: readonly Pick<SlotValues, "flowLps" | "totalizerM3">[];
  /** Identical totalizer over this many slots (this one included) while flow > 0 is "frozen". */
  frozenSlotCount?: number;
  flaggedVariables?: readonly string[];
  config: DgaPointConfig;
}

/** Configuration problems that block any send (fail fast and visibly, never skip silently). */
export function configReasons(config: DgaPointConfig): SlotReason[] {
  const reasons: SlotReason[] = [];
  if (!config.obraCode) reasons.push("obra_code_missing");
  else if (!isValidObraCode(config.obraCode)) reasons.push("obra_code_invalid");
  if (!config.informanteRut || !config.informanteHasPassword) reasons.push("informante_missing");
  else if (!isValidRut(config.informanteRut)) reasons.push("informante_invalid");
  if (!config.centroControlRut) reasons.push("centro_control_missing");
  else if (!isValidRut(config.centroControlRut)) reasons.push("centro_control_invalid");
  return reasons;
}

function isFrozen(values: SlotValues, ctx: ValidationContext): boolean {
  const count = ctx.frozenSlotCount ?? 4;
  const history = ctx.recentSlots ?? [];
  if (history.length < count - 1) return false;
  const window = [...history.slice(history.length - (count - 1)), values];
  return window.every((s) => s.totalizerM3 === values.totalizerM3 && s.flowLps !== null && s.flowLps > 0);
}

const has = (v: number | null): v is number => v !== null && Number.isFinite(v);

/** Every reason the slot needs a human before it can be sent. Values are judged, never corrected. */
export function validateSlot(values: SlotValues, ctx: ValidationContext): SlotReason[] {
  const reasons: SlotReason[] = configReasons(ctx.config);
  const { flowLps, totalizerM3, levelM, heightCm } = values;
  const usesTotalizer = ctx.kind !== "surface";
  const relevant = [
    flowLps,
    usesTotalizer ? totalizerM3 : null,
    ctx.kind === "groundwater" ? levelM : null,
    ctx.kind === "surface" ? heightCm : null,
  ];
  if (!relevant.some(has)) return [...reasons, "all_empty"];

  if (!has(flowLps)) reasons.push("flow_missing");
  else if (flowLps < 0) reasons.push("flow_negative");
  else if (ctx.grantedFlowLps != null && ctx.grantedFlowLps > 0) {
    if (flowLps > ctx.grantedFlowLps * (1 + (ctx.tolerancePct ?? 20) / 100)) reasons.push("flow_above_granted");
  } else if (flowLps > (ctx.noRightMaxFlowLps ?? 1000)) reasons.push("flow_above_1000_no_right");

  if (usesTotalizer) {
    if (!has(totalizerM3)) reasons.push("totalizer_missing");
    else if (totalizerM3 < 0) reasons.push("totalizer_negative");
    else if (totalizerM3 === 0) reasons.push("totalizer_zero");
    else {
      if (ctx.previousTotalizerM3 != null && totalizerM3 < ctx.previousTotalizerM3) reasons.push("totalizer_backwards");
      if (String(Math.trunc(totalizerM3)).length > TOTALIZER_MAX_CHARS) reasons.push("totalizer_too_long");
      if (isFrozen(values, ctx)) reasons.push("totalizer_frozen");
    }
  }

  if (ctx.kind === "groundwater") {
    if (!has(levelM)) {
      if (!ctx.rule.allowEmptyLevel) reasons.push("level_missing");
    } else if (levelM < 0) reasons.push("level_negative");
  }
  if (ctx.kind === "surface" && !has(heightCm) && !ctx.rule.allowEmptyHeight) reasons.push("height_missing");

  if (ctx.flaggedVariables && ctx.flaggedVariables.length > 0) reasons.push("quality_flagged");
  return reasons;
}

export type FillDecision = { state: "empty" | "pending" | "requires_review" | "skipped"; reasons: SlotReason[] };

/**
 * State after filling. An empty slot waits for late data, goes to review once stale (so a gap can't
 * silently freeze reporting) and is written off, documented, after the write-off age.
 */
export function decideSlotState(input: {
  fill: FillResult;
  reasons: readonly SlotReason[];
  slotAt: Date;
  now: Date;
  staleAfterHours?: number;
  writeOffAfterDays?: number;
}): FillDecision {
  const { fill, reasons, slotAt, now } = input;
  if (fill.kind === "empty") {
    const ageMs = now.getTime() - slotAt.getTime();
    if (ageMs >= (input.writeOffAfterDays ?? 30) * 86_400_000)
      return { state: "skipped", reasons: ["no_data_written_off"] };
    if (ageMs >= (input.staleAfterHours ?? 48) * 3_600_000)
      return { state: "requires_review", reasons: ["no_data_stale"] };
    return { state: "empty", reasons: [] };
  }
  return reasons.length === 0 ? { state: "pending", reasons: [] } : { state: "requires_review", reasons: [...reasons] };
}
