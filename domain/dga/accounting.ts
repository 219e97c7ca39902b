import { slotLight, type Light } from "./calendar";
import { dueSlots } from "./slots";
import type { StandardRule } from "./standards";
import { toDgaDateTime } from "./time";

const LATE_AFTER_MS = 3_600_000;

export interface SlotRowLike {
  slotAt: Date;
  state: string;
  reasons: readonly string[] | null;
  sentAt: Date | null;
}

/** One boundary of a point's calendar: a row, or a hole ("missing") where a slot was owed and none exists. */
export interface AccountedSlot<R extends SlotRowLike> {
  slotAt: Date;
  /** Owed = at or after go-live and not in the future. Only owed slots count in the figures. */
  owed: boolean;
  row: R | null;
  /** The row's state, or "missing" for an owed boundary without a row. */
  state: string;
  light: Light;
}

/**
 * Every boundary of the standard's calendar in [from, to) merged with the stored rows: owed boundaries
 * without a row appear as "missing" (red); rows before go-live, or of a point that owes nothing, stay
 * as they are but are not owed (grey).
 */
export function accountSlots<R extends SlotRowLike>(input: {
  rule: Pick<StandardRule, "period" | "months">;
  goLiveAt: Date | null;
  from: Date;
  to: Date;
  now: Date;
  rows: readonly R[];
}): AccountedSlot<R>[] {
  const { rule, goLiveAt, now } = input;
  const byAt = new Map(input.rows.map((r) => [r.slotAt.getTime(), r]));
  const out: AccountedSlot<R>[] = [];
  const lastOwed = Math.min(input.to.getTime() - 1, now.getTime());
  if (goLiveAt && lastOwed >= Math.max(goLiveAt.getTime(), input.from.getTime())) {
    const from = new Date(Math.max(goLiveAt.getTime(), input.from.getTime()));
    for (const slotAt of dueSlots({ rule, from, to: new Date(lastOwed) })) {
      const row = byAt.get(slotAt.getTime()) ?? null;
      byAt.delete(slotAt.getTime());
      out.push(
        row
          ? { slotAt, owed: true, row, state: row.state, light: slotLight(row, now) }
          : { slotAt, owed: true, row: null, state: "missing", light: "red" },
      );
    }
  }
  for (const row of byAt.values()) {
    const light = row.slotAt.getTime() > now.getTime() ? slotLight(row, now) : "grey";
    out.push({ slotAt: row.slotAt, owed: false, row, state: row.state, light });
  }
  return out.sort((a, b) => a.slotAt.getTime() - b.slotAt.getTime());
}

export interface Tally {
  due: number;
  sent: number;
  late: number;
  failed: number;
  review: number;
  pending: number;
  skipped: number;
  missing: number;
}

export const emptyTally = (): Tally => ({
  due: 0,
  sent: 0,
  late: 0,
  failed: 0,
  review: 0,
  pending: 0,
  skipped: 0,
  missing: 0,
});

/** Adds owed slots to a tally: due = sent + failed + review + pending + skipped + missing. */
export function addToTally<R extends SlotRowLike>(t: Tally, slots: Iterable<AccountedSlot<R>>): Tally {
  for (const s of slots) {
    if (!s.owed) continue;
    t.due += 1;
    switch (s.state) {
      case "sent":
        t.sent += 1;
        if (s.row?.sentAt && s.row.sentAt.getTime() > s.slotAt.getTime() + LATE_AFTER_MS) t.late += 1;
        break;
      case "failed":
        t.failed += 1;
        break;
      case "requires_review":
        t.review += 1;
        break;
      case "skipped":
        t.skipped += 1;
        break;
      case "missing":
        t.missing += 1;
        break;
      default:
        t.pending += 1;
    }
  }
  return t;
}

export function mergeTally(into: Tally, t: Tally): Tally {
  for (const k of Object.keys(into) as (keyof Tally)[]) into[k] += t[k];
  return into;
}

/** Percent with one decimal; null when nothing was due. */
export function pctOf(n: number, d: number): number | null {
  return d > 0 ? Math.round((n / d) * 1000) / 10 : null;
}

/** The UTC-4 calendar keys of a slot. */
export function dgaDayOf(slotAt: Date): { day: string; month: string } {
  const { fecha } = toDgaDateTime(slotAt);
  return { day: fecha, month: fecha.slice(0, 7) };
}
