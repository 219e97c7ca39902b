import { expect } from "vitest";
import { countBoundaries } from "@/domain/dga/catchup";
import { DEFAULT_STANDARDS, type DgaStandard } from "@/domain/dga/standards";
import { getPgPool } from "@/server/pg";
import { getDb } from "@/test/db";
import { summary } from "./compliance-read";
import { runCycle, type CycleSummary } from "./cycle";
import type { PlannedSend } from "./plan";
import { submitSlot } from "./submit";
import { insertMeasurements, type Harness } from "./test-harness";

export const MIN_MS = 60_000;

/** One reading set at a slot boundary; the totalizer grows with time so no validation rule trips. */
export async function readingAt(pointId: number, at: Date): Promise<void> {
  const hours = Math.floor(at.getTime() / 3_600_000);
  await insertMeasurements(pointId, at, { flow: 12.34, totalizer: 1_000 + (hours % 100_000) * 44, water_table: 8.5 });
}

/**
 * The DGA worker under a controlled clock: a cycle at `now`, then the planned sends that fall before
 * the next cycle, each submitted at its planned instant (as the delayed BullMQ job would).
 */
export async function tick(h: Harness, now: Date, stepMs: number): Promise<CycleSummary> {
  const planned: PlannedSend[] = [];
  const s = await runCycle({ pool: getPgPool(), now, cfg: h.cfg, dispatch: async (p) => void planned.push(...p) });
  for (const p of planned.sort((a, b) => a.sendAt.getTime() - b.sendAt.getTime())) {
    if (p.sendAt.getTime() < now.getTime() + stepMs) await submitSlot(getPgPool(), p.slotId, p.sendAt, h.cfg);
  }
  return s;
}

/** Runs the worker every `stepMs` over [from, to), calling `each` before every cycle (readings arriving). */
export async function runWorker(
  h: Harness,
  from: Date,
  to: Date,
  stepMs: number,
  each?: (now: Date) => Promise<void>,
): Promise<CycleSummary[]> {
  const out: CycleSummary[] = [];
  for (let t = from.getTime(); t < to.getTime(); t += stepMs) {
    await each?.(new Date(t));
    out.push(await tick(h, new Date(t), stepMs));
  }
  return out;
}

export interface PointUnderTest {
  id: number;
  standard: DgaStandard;
  goLiveAt: Date;
}

/**
 * Compliance at `now` must equal the calendar: due = owed boundaries since go-live (counted here
 * independently), missing = owed boundaries without a row, sent = rows sent; and due is the sum of
 * its parts. Returns the per-point totals over the months queried.
 */
export async function expectCompliance(
  h: Harness,
  points: PointUnderTest[],
  now: Date,
  months: { fromMonth: string; toMonth: string },
) {
  const s = await summary(getPgPool(), { clientId: h.clientId, ...months }, now);
  const totals = new Map<
    number,
    { due: number; sent: number; missing: number; review: number; pending: number; skipped: number; failed: number }
  >();
  for (const r of s.points) {
    const t = totals.get(r.pointId) ?? { due: 0, sent: 0, missing: 0, review: 0, pending: 0, skipped: 0, failed: 0 };
    for (const k of Object.keys(t) as (keyof typeof t)[]) t[k] += r[k];
    totals.set(r.pointId, t);
    expect(r.due).toBe(r.sent + r.failed + r.review + r.pending + r.skipped + r.missing);
  }
  for (const p of points) {
    const rows = await getDb().dgaSlot.findMany({ where: { pointId: p.id, slotAt: { gte: p.goLiveAt, lte: now } } });
    const due = countBoundaries(DEFAULT_STANDARDS[p.standard], p.goLiveAt, now);
    const t = totals.get(p.id) ?? { due: 0, sent: 0, missing: 0, review: 0, pending: 0, skipped: 0, failed: 0 };
    expect(t.due, `point ${p.id} (${p.standard}) due at ${now.toISOString()}`).toBe(due);
    expect(t.missing, `point ${p.id} (${p.standard}) missing at ${now.toISOString()}`).toBe(due - rows.length);
    expect(t.sent).toBe(rows.filter((r) => r.state === "sent").length);
  }
  return totals;
}
