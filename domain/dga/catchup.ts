import type { StandardRule } from "./standards";
import { floorToSlot, nextSlot } from "./slots";

type SlotCadence = Pick<StandardRule, "period" | "months">;

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** Catch-up bounds per cycle: a 3-day Mayor outage (72 slots) closes in 2 cycles; 20 000 rows insert in about a second. */
export const CATCHUP_MAX_SLOTS_PER_POINT = 48;
export const CATCHUP_MAX_SLOTS_PER_CYCLE = 20_000;

/** First boundary at or after `at`: the first slot owed by a point that went live at `at`. */
export function firstBoundaryAtOrAfter(rule: SlotCadence, at: Date): Date {
  const floor = floorToSlot(rule, at);
  return floor.getTime() < at.getTime() ? nextSlot(rule, floor) : floor;
}

/** Number of boundaries in [from, to], without listing them (hour and day are arithmetic; months are ≤ 12 a year). */
export function countBoundaries(rule: SlotCadence, from: Date, to: Date): number {
  if (to.getTime() < from.getTime()) return 0;
  const first = firstBoundaryAtOrAfter(rule, from);
  if (first.getTime() > to.getTime()) return 0;
  if (rule.period === "hour" || rule.period === "day") {
    const step = rule.period === "hour" ? HOUR_MS : DAY_MS;
    return Math.floor((to.getTime() - first.getTime()) / step) + 1;
  }
  let n = 0;
  for (let s = first; s.getTime() <= to.getTime(); s = nextSlot(rule, s)) n++;
  return n;
}

/** Slots owed by a point in [from, to]: every boundary at or after go-live and at or before `now`. */
export function owedCount(rule: SlotCadence, goLiveAt: Date | null, from: Date, to: Date, now: Date): number {
  if (!goLiveAt) return 0;
  const start = Math.max(goLiveAt.getTime(), from.getTime());
  const end = Math.min(to.getTime(), now.getTime());
  return countBoundaries(rule, new Date(start), new Date(end));
}

export interface CatchUpPoint {
  id: number;
  rule: SlotCadence;
  goLiveAt: Date;
  /** Every owed boundary before this instant has a row; null = nothing known, walk from go-live. */
  completeUntil: Date | null;
}

export interface CatchUpPlan {
  id: number;
  /** Boundaries to insert (ON CONFLICT DO NOTHING), oldest first. */
  slots: Date[];
  /** The new cursor once they exist: the boundary after the last one walked. */
  completeUntil: Date;
}

/**
 * The catch-up walk of one cycle. Each point walks its boundaries from its cursor (or go-live) up to
 * now + horizon, at most `perPoint` of them; points furthest behind go first until `total` is spent.
 * Live hours never wait for this budget: the scheduler creates the current window separately.
 */
export function planCatchUp(input: {
  points: readonly CatchUpPoint[];
  now: Date;
  horizonHours: number;
  perPoint: number;
  total: number;
}): CatchUpPlan[] {
  const to = input.now.getTime() + input.horizonHours * HOUR_MS;
  const starts = input.points
    .map((p) => {
      const from = p.completeUntil && p.completeUntil.getTime() > p.goLiveAt.getTime() ? p.completeUntil : p.goLiveAt;
      return { p, start: firstBoundaryAtOrAfter(p.rule, from) };
    })
    .filter((x) => x.start.getTime() <= to)
    .sort((a, b) => a.start.getTime() - b.start.getTime() || a.p.id - b.p.id);
  let budget = Math.max(0, input.total);
  const plans: CatchUpPlan[] = [];
  for (const { p, start } of starts) {
    if (budget <= 0) break;
    const slots: Date[] = [];
    const limit = Math.min(input.perPoint, budget);
    for (let s = start; s.getTime() <= to && slots.length < limit; s = nextSlot(p.rule, s)) slots.push(s);
    if (slots.length === 0) continue;
    budget -= slots.length;
    plans.push({ id: p.id, slots, completeUntil: nextSlot(p.rule, slots[slots.length - 1]!) });
  }
  return plans;
}
