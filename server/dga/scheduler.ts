import { slotsToCreate } from "@/domain/dga/slots";
import { configReasons } from "@/domain/dga/validate";
import type { DgaConfig } from "./config";
import { notify, type Queryable } from "./events";
import { pointConfig, reportingPoints, type DgaPointRow } from "./points";

const CHUNK = 5_000;

/** Upserts the slots of every shadow/live point from the current boundary to now + horizon. Idempotent. */
export async function createSlots(db: Queryable, now: Date, cfg: DgaConfig, points?: DgaPointRow[]): Promise<number> {
  const list = points ?? (await reportingPoints(db));
  const ids: number[] = [];
  const ats: Date[] = [];
  const standards: string[] = [];
  for (const p of list) {
    for (const s of slotsToCreate({ standard: p.standard, dgaTransport: p.transport }, now, cfg.horizonHours, cfg.standards)) {
      ids.push(p.id);
      ats.push(s.slotAt);
      standards.push(s.standard);
    }
  }
  let created = 0;
  for (let i = 0; i < ids.length; i += CHUNK) {
    const r = await db.query(
      `INSERT INTO dga_slot (point_id, slot_at, standard, state, reasons, updated_at)
       SELECT u.point_id, u.slot_at, u.standard::"DgaStandard", 'empty', '{}', now()
       FROM unnest($1::int[], $2::timestamptz[], $3::text[]) AS u(point_id, slot_at, standard)
       ON CONFLICT (point_id, slot_at) DO NOTHING`,
      [ids.slice(i, i + CHUNK), ats.slice(i, i + CHUNK), standards.slice(i, i + CHUNK)],
    );
    created += r.rowCount ?? 0;
  }
  return created;
}

/**
 * Missing configuration stops a point visibly: one deduplicated notification per point and problem
 * set (the slots themselves carry the reasons once they are filled).
 */
export async function checkConfiguration(db: Queryable, cfg: DgaConfig, points: DgaPointRow[]): Promise<{ pointId: number; reasons: string[] }[]> {
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
