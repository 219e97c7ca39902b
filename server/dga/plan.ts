import { planBacklog } from "@/domain/dga/retry";
import type { DgaConfig } from "./config";
import type { Queryable } from "./events";
import { lastPostAt } from "./submit";

export interface PlannedSend {
  slotId: string;
  pointId: number;
  attempts: number;
  sendAt: Date;
}

/**
 * The next send of every live obra with due slots: its live slot (within its hour) or else its oldest
 * due slot, never one before go-live, at the time planBacklog allows
 * (≥ spacing after the obra's last POST). One slot per obra per cycle; the rest follow in later cycles.
 * Shadow points and the kill switch yield nothing.
 */
export async function planSubmissions(db: Queryable, now: Date, cfg: DgaConfig): Promise<PlannedSend[]> {
  if (!cfg.submissionEnabled) return [];
  const { rows } = await db.query<{ id: string; pointId: number; slotAt: Date; attempts: number }>(
    `SELECT s.id::text AS id, s.point_id AS "pointId", s.slot_at AS "slotAt", s.attempts
     FROM dga_slot s JOIN capture_point p ON p.id = s.point_id AND p.dga_transport = 'live'
     WHERE s.state IN ('pending', 'rejected') AND (s.next_attempt_at IS NULL OR s.next_attempt_at <= $1) AND s.slot_at <= $1
       AND (p.dga_go_live_at IS NULL OR s.slot_at >= p.dga_go_live_at)
       AND NOT EXISTS (SELECT 1 FROM dga_slot o WHERE o.point_id = s.point_id AND o.state = 'sending')
     ORDER BY s.point_id, s.slot_at`,
    [now],
  );
  const byPoint = new Map<number, typeof rows>();
  for (const r of rows) {
    const list = byPoint.get(r.pointId);
    if (list) list.push(r);
    else byPoint.set(r.pointId, [r]);
  }
  const last = await lastPostAt(db, [...byPoint.keys()]);
  const planned: PlannedSend[] = [];
  for (const [pointId, slots] of byPoint) {
    const first = planBacklog({
      slots,
      now,
      spacingMin: cfg.backlogSpacingMin,
      lastSentAt: last.get(pointId) ?? null,
    })[0];
    if (first) planned.push({ slotId: first.slot.id, pointId, attempts: first.slot.attempts, sendAt: first.sendAt });
  }
  return planned;
}
