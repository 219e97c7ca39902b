import type { Queryable } from "./events";
import { accounted, monthBounds } from "./compliance-read";
import { addToTally, dgaDayOf, emptyTally, mergeTally, pctOf, type Tally } from "@/domain/dga/accounting";
import { dayCell, slotCell, type CellState } from "@/domain/dga/matrix";
import { monthRange } from "@/domain/dga/calendar";
import { DEFAULT_STANDARDS, type StandardsConfig } from "@/domain/dga/standards";
import type { DgaTrouble } from "@/domain/analytics/triage";

const withPct = (t: Tally) => ({ ...t, compliancePct: pctOf(t.sent, t.due), onTimePct: pctOf(t.sent - t.late, t.due) });

/** Every UTC-4 day of a "YYYY-MM" month. */
function monthDays(month: string): string[] {
  const { year, month: m } = monthRange(month);
  const n = new Date(Date.UTC(year, m, 0)).getUTCDate();
  return Array.from({ length: n }, (_, i) => `${month}-${String(i + 1).padStart(2, "0")}`);
}

/**
 * The per-well month matrix: for each point of the client, one cell per UTC-4 day (its worst hour,
 * domain/dga/matrix) and the month's tally, counted exactly as `summary` counts it (same accounting).
 */
export async function matrix(
  db: Queryable,
  q: { clientId: number; month: string },
  now: Date,
  standards: StandardsConfig = DEFAULT_STANDARDS,
) {
  const { from, to } = monthBounds(q.month);
  const days = monthDays(q.month);
  const client = emptyTally();
  const points = (await accounted(db, q, from, to, now, standards)).map(({ point, slots }) => {
    const byDay = new Map<string, CellState[]>();
    for (const s of slots) {
      const { day } = dgaDayOf(s.slotAt);
      const cell = slotCell({ ...s, reasons: s.row?.reasons ?? null, sentAt: s.row?.sentAt ?? null }, now);
      (byDay.get(day) ?? byDay.set(day, []).get(day)!).push(cell);
    }
    const tally = addToTally(emptyTally(), slots);
    mergeTally(client, tally);
    return {
      pointId: point.id,
      name: point.name,
      obraCode: point.obraCode,
      standard: point.standard,
      cells: days.map((day) => dayCell(day, byDay.get(day) ?? [], now)),
      ...withPct(tally),
    };
  });
  return { month: q.month, days, points, client: withPct(client) };
}

/** Per point, the owed hours of the month in trouble (for the triage of wells). */
export async function dgaTroubleByPoint(
  db: Queryable,
  q: { clientId: number; month: string },
  now: Date,
  standards: StandardsConfig = DEFAULT_STANDARDS,
): Promise<Map<number, DgaTrouble>> {
  const { from, to } = monthBounds(q.month);
  const out = new Map<number, DgaTrouble>();
  for (const { point, slots } of await accounted(db, q, from, to, now, standards)) {
    const t: DgaTrouble = { failed: 0, missing: 0, review: 0, firstHoleAt: null, firstReviewAt: null };
    for (const s of slots) {
      const cell = slotCell({ ...s, reasons: s.row?.reasons ?? null, sentAt: s.row?.sentAt ?? null }, now);
      if (cell === "failed" || cell === "missing") {
        t[cell] += 1;
        t.firstHoleAt ??= s.slotAt;
      } else if (cell === "review") {
        t.review += 1;
        t.firstReviewAt ??= s.slotAt;
      }
    }
    if (t.failed + t.missing + t.review > 0) out.set(point.id, t);
  }
  return out;
}
