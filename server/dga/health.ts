import { owedCount } from "@/domain/dga/catchup";
import { DEFAULT_STANDARDS, type DgaStandard, type StandardsConfig } from "@/domain/dga/standards";
import type { Queryable } from "./events";

export interface DgaHealth {
  /** Owed slots (go-live → now, on the standard's calendar) with no dga_slot row, over all points. */
  owedWithoutRow: number;
  /** Points with at least one such hole. */
  pointsWithHoles: number;
  /** Per obra: due sendable slots waiting (pending/rejected/sending, due now); §6.1 drains them 5 min apart. */
  backlog: { pointId: number; obraCode: string | null; slots: number }[];
}

/**
 * What an operator must see before the DGA does: holes in the owed calendar (the catch-up closes them
 * within a few cycles; one that stays is an incident) and each obra's send backlog.
 */
export async function dgaHealth(
  db: Queryable,
  now: Date,
  standards: StandardsConfig = DEFAULT_STANDARDS,
): Promise<DgaHealth> {
  const owed = await db.query<{ id: number; standard: DgaStandard; goLiveAt: Date; rows: number }>(
    `SELECT p.id, p.dga_standard::text AS standard, p.dga_go_live_at AS "goLiveAt",
       (SELECT count(*) FROM dga_slot s WHERE s.point_id = p.id AND s.slot_at >= p.dga_go_live_at AND s.slot_at <= $1)::int AS rows
     FROM capture_point p WHERE p.dga_go_live_at IS NOT NULL AND p.dga_go_live_at <= $1`,
    [now],
  );
  let owedWithoutRow = 0;
  let pointsWithHoles = 0;
  for (const p of owed.rows) {
    const holes = Math.max(0, owedCount(standards[p.standard], p.goLiveAt, p.goLiveAt, now, now) - p.rows);
    owedWithoutRow += holes;
    if (holes > 0) pointsWithHoles += 1;
  }
  const backlog = await db.query<{ pointId: number; obraCode: string | null; slots: number }>(
    `SELECT s.point_id AS "pointId", p.obra_code AS "obraCode", count(*)::int AS slots
     FROM dga_slot s JOIN capture_point p ON p.id = s.point_id AND p.dga_transport = 'live'
     WHERE s.state IN ('pending', 'rejected', 'sending') AND s.slot_at <= $1 AND (s.next_attempt_at IS NULL OR s.next_attempt_at <= $1)
     GROUP BY s.point_id, p.obra_code ORDER BY slots DESC, s.point_id`,
    [now],
  );
  return { owedWithoutRow, pointsWithHoles, backlog: backlog.rows };
}
