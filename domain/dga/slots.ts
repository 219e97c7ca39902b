import { AppError } from "@/domain/errors";
import { DEFAULT_STANDARDS, type DgaStandard, type StandardRule, type StandardsConfig } from "./standards";
import { fromDgaWallClock, toDgaWallClock } from "./time";

type SlotCadence = Pick<StandardRule, "period" | "months">;

const HOUR_MS = 3_600_000;
const MAX_SLOTS_PER_CALL = 100_000;

function monthCarriesSlot(rule: SlotCadence, month: number): boolean {
  return rule.months.includes(((((month - 1) % 12) + 12) % 12) + 1);
}

/** Latest slot boundary at or before `at` (UTC instant of a UTC-4 boundary). */
export function floorToSlot(rule: SlotCadence, at: Date): Date {
  const w = toDgaWallClock(at);
  if (rule.period === "hour") return fromDgaWallClock({ ...w, minute: 0, second: 0 });
  if (rule.period === "day") return fromDgaWallClock({ year: w.year, month: w.month, day: w.day });
  for (let back = 0; back < 12; back++) {
    if (monthCarriesSlot(rule, w.month - back)) return fromDgaWallClock({ year: w.year, month: w.month - back });
  }
  throw new AppError("BAD_INPUT", "standard has no slot months");
}

/** Earliest slot boundary strictly after `slotAt`, which must itself be a boundary. */
export function nextSlot(rule: SlotCadence, slotAt: Date): Date {
  if (rule.period === "hour") return new Date(slotAt.getTime() + HOUR_MS);
  if (rule.period === "day") return new Date(slotAt.getTime() + 24 * HOUR_MS);
  const w = toDgaWallClock(slotAt);
  for (let ahead = 1; ahead <= 12; ahead++) {
    if (monthCarriesSlot(rule, w.month + ahead)) return fromDgaWallClock({ year: w.year, month: w.month + ahead });
  }
  throw new AppError("BAD_INPUT", "standard has no slot months");
}

/** Every slot boundary in [from, to], ascending. */
export function dueSlots(input: { rule: SlotCadence; from: Date; to: Date }): Date[] {
  const { rule, from, to } = input;
  const slots: Date[] = [];
  let slot = floorToSlot(rule, from);
  if (slot < from) slot = nextSlot(rule, slot);
  while (slot <= to) {
    if (slots.length >= MAX_SLOTS_PER_CALL) throw new AppError("BAD_INPUT", "slot range too large");
    slots.push(slot);
    slot = nextSlot(rule, slot);
  }
  return slots;
}

export interface SlotPoint {
  standard: DgaStandard;
  dgaTransport: "off" | "shadow" | "live";
}

/**
 * Slots to upsert ahead of time: the current one through now + horizon. Points with transport "off"
 * get none; points lacking an obra code still get slots so the gap shows up in review, not silently.
 */
export function slotsToCreate(
  point: SlotPoint,
  now: Date,
  horizonHours: number,
  standards: StandardsConfig = DEFAULT_STANDARDS,
): { slotAt: Date; standard: DgaStandard }[] {
  if (point.dgaTransport === "off") return [];
  const rule = standards[point.standard];
  const from = floorToSlot(rule, now);
  const to = new Date(now.getTime() + horizonHours * HOUR_MS);
  return dueSlots({ rule, from, to }).map((slotAt) => ({ slotAt, standard: point.standard }));
}

/** Truncates to the minute: a reading stamped 10:00:37 belongs to the 10:00 bucket. */
export function snapToMinute(ts: Date): Date {
  return new Date(Math.floor(ts.getTime() / 60_000) * 60_000);
}

/** A reading fills a slot only when its minute equals the slot exactly, so DGA and dashboards agree. */
export function matchesSlot(ts: Date, slotAt: Date): boolean {
  return snapToMinute(ts).getTime() === slotAt.getTime();
}
