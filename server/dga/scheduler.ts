import { firstBoundaryAtOrAfter, planCatchUp } from "@/domain/dga/catchup";
import { slotsToCreate } from "@/domain/dga/slots";
import { configReasons } from "@/domain/dga/validate";
import type { DgaConfig } from "./config";
import { notify, type Queryable } from "./events";
import { pointConfig, reportingPoints, type DgaPointRow } from "./points";

const CHUNK = 5_000;

export interface SlotCreation {
  /** Rows inserted this cycle (live window + catch-up). */
  created: number;
  /** Of those, catch-up rows at or before now: owed boundaries that had no row (an outage, a new go-live). */
  caughtUp: number;
  /** Live points whose catch-up walk has not reached now + horizon yet (more cycles needed). */
  pointsBehind: number;
}

/**
 * Creates slot rows, idempotently. Every shadow/live point gets its current window (current boundary to
 * now + horizon), outside any budget, so live hours are never starved. Live points then walk their owed
 * boundaries from the catch-up cursor (or go-live) forward, bounded per point and per cycle, so an
 * outage of any length is closed over a few cycles and no owed hour is left without a row. A live point
 * without go-live (only possible by writing the table directly) keeps the window and owes nothing.
 */
export async function createSlots(
  db: Queryable,
  now: Date,
  cfg: DgaConfig,
  points?: DgaPointRow[],
): Promise<SlotCreation> {
  const list = points ?? (await reportingPoints(db));
  const live = list.filter((p): p is DgaPointRow & { goLiveAt: Date } => p.transport === "live" && p.goLiveAt !== null);
  const plans = planCatchUp({
    points: live.map((p) => ({
      id: p.id,
      rule: cfg.standards[p.standard],
      goLiveAt: p.goLiveAt,
      completeUntil: p.slotsCompleteUntil,
    })),
    now,
    horizonHours: cfg.horizonHours,
    perPoint: cfg.catchUpPerPoint,
    total: cfg.catchUpPerCycle,
  });
  const byId = new Map(list.map((p) => [p.id, p]));
  const catchUp = plans.flatMap((plan) =>
    plan.slots.map((slotAt) => ({ pointId: plan.id, slotAt, standard: byId.get(plan.id)!.standard as string })),
  );
  // A live point owes nothing before go-live: its current window starts at the first owed boundary.
  const window = list.flatMap((p) =>
    slotsToCreate({ standard: p.standard, dgaTransport: p.transport }, now, cfg.horizonHours, cfg.standards)
      .filter((s) => p.transport !== "live" || !p.goLiveAt || s.slotAt.getTime() >= p.goLiveAt.getTime())
      .map((s) => ({ pointId: p.id, slotAt: s.slotAt, standard: s.standard as string })),
  );
  const caughtUpAts = await insertSlots(db, catchUp);
  const windowAts = await insertSlots(db, window);
  const caughtUp = caughtUpAts.filter((at) => at.getTime() <= now.getTime()).length;
  const created = caughtUpAts.length + windowAts.length;
  // The cursor only moves if nobody rewound it meanwhile (a deleted row rewinds it, see the migration).
  if (plans.length > 0) {
    await db.query(
      `UPDATE capture_point p SET dga_slots_complete_until = u.until
       FROM unnest($1::int[], $2::timestamptz[], $3::timestamptz[]) AS u(id, until, was)
       WHERE p.id = u.id AND p.dga_slots_complete_until IS NOT DISTINCT FROM u.was`,
      [plans.map((x) => x.id), plans.map((x) => x.completeUntil), plans.map((x) => byId.get(x.id)!.slotsCompleteUntil)],
    );
  }
  const to = new Date(now.getTime() + cfg.horizonHours * 3_600_000);
  const planned = new Map(plans.map((x) => [x.id, x.completeUntil]));
  const pointsBehind = live.filter((p) => {
    const until = planned.get(p.id) ?? p.slotsCompleteUntil;
    const from = until && until.getTime() > p.goLiveAt.getTime() ? until : p.goLiveAt;
    return firstBoundaryAtOrAfter(cfg.standards[p.standard], from).getTime() <= to.getTime();
  }).length;
  return { created, caughtUp, pointsBehind };
}

async function insertSlots(
  db: Queryable,
  rows: { pointId: number; slotAt: Date; standard: string }[],
): Promise<Date[]> {
  const inserted: Date[] = [];
  for (let i = 0; i < rows.length; i += CHUNK) {
    const part = rows.slice(i, i + CHUNK);
    const r = await db.query<{ slotAt: Date }>(
      `INSERT INTO dga_slot (point_id, slot_at, standard, state, reasons, updated_at)
       SELECT u.point_id, u.slot_at, u.standard::"DgaStandard", 'empty', '{}', now()
       FROM unnest($1::int[], $2::timestamptz[], $3::text[]) AS u(point_id, slot_at, standard)
       ON CONFLICT (point_id, slot_at) DO NOTHING RETURNING slot_at AS "slotAt"`,
      [part.map((x) => x.pointId), part.map((x) => x.slotAt), part.map((x) => x.standard)],
    );
    inserted.push(...r.rows.map((x) => x.slotAt));
  }
  return inserted;
}

/**
 * Missing configuration stops a point visibly: one deduplicated notification per point and problem
 * set (the slots themselves carry the reasons once they are filled).
 */
export async function checkConfiguration(
  db: Queryable,
  cfg: DgaConfig,
  points: DgaPointRow[],
): Promise<{ pointId: number; reasons: string[] }[]> {
  const blocked: { pointId: number; reasons: string[] }[] = [];
  for (const p of points) {
    const reasons = configReasons(pointConfig(p, cfg.centroControlRut));
    if (reasons.length === 0) continue;
    blocked.push({ pointId: p.id, reasons });
    await notify(db, {
      clientId: p.clientId,
      event: "dga_review",
      severity: "critical",
      title: `DGA detenido en ${p.name}: falta configuración`,
      body: `El punto ${p.obraCode ?? p.name} no puede reportar a la DGA: ${reasons.join(", ")}.`,
      groupKey: `dga:config:${p.id}:${reasons.join(",")}`,
      payload: { pointId: p.id, reasons },
      dedupeHours: 24,
    });
  }
  return blocked;
}
