import { AppError } from "@/domain/errors";
import { buildRequest } from "@/domain/dga/payload";
import { SLOT_TRANSITIONS } from "@/domain/dga/retry";
import { configReasons } from "@/domain/dga/validate";
import type { DgaConfig } from "./config";
import type { Queryable } from "./events";
import { loadPoints, pointConfig, type DgaPointRow } from "./points";

export interface CorrectedValues {
  flowLps?: number | null;
  totalizerM3?: number | null;
  levelM?: number | null;
  heightCm?: number | null;
}

interface SlotHead {
  id: string;
  pointId: number;
  slotAt: Date;
  state: string;
  reasons: string[] | null;
  flowLps: number | null;
  totalizerM3: number | null;
  levelM: number | null;
  heightCm: number | null;
}

const STORED_WITHOUT_RECEIPT = ["sent_no_receipt", "duplicate_no_receipt"];
const REVIEWABLE = ["requires_review", "failed"];
const DISCARDABLE = Object.entries(SLOT_TRANSITIONS)
  .filter(([, to]) => to.includes("skipped"))
  .map(([from]) => from);

async function head(db: Queryable, slotId: number): Promise<{ slot: SlotHead; point: DgaPointRow }> {
  const { rows } = await db.query<SlotHead>(
    `SELECT id::text AS id, point_id AS "pointId", slot_at AS "slotAt", state::text AS state, reasons, flow_lps AS "flowLps", totalizer_m3 AS "totalizerM3",
       level_m AS "levelM", height_cm AS "heightCm" FROM dga_slot WHERE id = $1::bigint`,
    [slotId],
  );
  const slot = rows[0];
  const point = slot ? (await loadPoints(db, [slot.pointId])).get(slot.pointId) : undefined;
  if (!slot || !point) throw new AppError("NOT_FOUND", "Slot no encontrado");
  return { slot, point };
}

/**
 * A reviewer's decision on a slot in review: corrected values → pending (checked with the real payload
 * builder, so nothing unsendable is queued); or, when MEE already holds it, the receipt → sent (never resent).
 */
export async function acceptSlot(
  db: Queryable,
  q: { slotId: number; values: CorrectedValues; note: string; receipt?: string; reviewerId: number | null },
  now: Date,
  cfg: DgaConfig,
) {
  const { slot, point } = await head(db, q.slotId);
  if (!REVIEWABLE.includes(slot.state))
    throw new AppError("CONFLICT", `El slot está en estado ${slot.state}, no en revisión`);
  const before = {
    state: slot.state,
    reasons: slot.reasons,
    flowLps: slot.flowLps,
    totalizerM3: slot.totalizerM3,
    levelM: slot.levelM,
    heightCm: slot.heightCm,
  };
  if (q.receipt) {
    const r = await db.query(
      `UPDATE dga_slot SET state = 'sent', receipt = $2, sent_at = COALESCE(sent_at, $3), review_note = $4, reviewed_by_id = $5, reasons = '{}', next_attempt_at = NULL, updated_at = now()
       WHERE id = $1::bigint AND state = ANY($6::"SlotState"[])`,
      [q.slotId, q.receipt, now, q.note, q.reviewerId, REVIEWABLE],
    );
    if (!r.rowCount) throw new AppError("CONFLICT", "El slot cambió de estado; recargue");
    return { clientId: point.clientId, before, after: { state: "sent", receipt: q.receipt, note: q.note } };
  }
  if ((slot.reasons ?? []).some((r) => STORED_WITHOUT_RECEIPT.includes(r))) {
    throw new AppError("CONFLICT", "MEE ya tiene esta medición: ingrese el comprobante en vez de reenviar");
  }
  const reasons = configReasons(pointConfig(point, cfg.centroControlRut));
  if (reasons.length > 0)
    throw new AppError("CONFLICT", `Falta configuración DGA: ${reasons.join(", ")}`, { details: { reasons } });
  const values = {
    flowLps: q.values.flowLps !== undefined ? q.values.flowLps : slot.flowLps,
    totalizerM3: q.values.totalizerM3 !== undefined ? q.values.totalizerM3 : slot.totalizerM3,
    levelM: q.values.levelM !== undefined ? q.values.levelM : slot.levelM,
    heightCm: q.values.heightCm !== undefined ? q.values.heightCm : slot.heightCm,
  };
  buildRequest({
    kind: point.kind,
    obraCode: point.obraCode,
    values,
    slotAt: slot.slotAt,
    rule: cfg.standards[point.standard],
    now,
    informante: { rut: point.informanteRut, password: point.passwordEnc ? "****" : null },
    centroControlRut: cfg.centroControlRut,
  });
  const r = await db.query(
    `UPDATE dga_slot SET state = 'pending', flow_lps = $2, totalizer_m3 = $3, level_m = $4, height_cm = $5, review_note = $6, reviewed_by_id = $7,
       reasons = '{}', next_attempt_at = NULL, last_error = NULL, updated_at = now()
     WHERE id = $1::bigint AND state = ANY($8::"SlotState"[])`,
    [q.slotId, values.flowLps, values.totalizerM3, values.levelM, values.heightCm, q.note, q.reviewerId, REVIEWABLE],
  );
  if (!r.rowCount) throw new AppError("CONFLICT", "El slot cambió de estado; recargue");
  return { clientId: point.clientId, before, after: { state: "pending", ...values, note: q.note } };
}

export async function discardSlot(db: Queryable, q: { slotId: number; note: string; reviewerId: number | null }) {
  const { slot, point } = await head(db, q.slotId);
  const r = await db.query(
    `UPDATE dga_slot SET state = 'skipped', reasons = array_append(COALESCE(reasons, '{}'), 'discarded'), review_note = $2, reviewed_by_id = $3,
       next_attempt_at = NULL, updated_at = now()
     WHERE id = $1::bigint AND state = ANY($4::"SlotState"[])`,
    [q.slotId, q.note, q.reviewerId, DISCARDABLE],
  );
  if (!r.rowCount) throw new AppError("CONFLICT", `No se puede descartar un slot en estado ${slot.state}`);
  return {
    clientId: point.clientId,
    before: { state: slot.state, reasons: slot.reasons },
    after: { state: "skipped", note: q.note },
  };
}

/**
 * off / shadow / live. Going live requires complete configuration, and slots before the cut-over
 * (`liveFrom`, default now) that were never ours to send are closed as skipped, so the switch never
 * turns the shadow period into a backlog that MEE already has from the legacy sender. The first switch
 * to live also starts the obligation: go-live = the cut-over, unless staff already set one.
 */
export async function setTransport(
  db: Queryable,
  q: { pointId: number; transport: "off" | "shadow" | "live"; liveFrom?: Date; actor: string },
  now: Date,
  cfg: DgaConfig,
) {
  const point = (await loadPoints(db, [q.pointId])).get(q.pointId);
  if (!point) throw new AppError("NOT_FOUND", "Punto no encontrado");
  let closedSlots = 0;
  const liveFrom = q.liveFrom ?? now;
  let goLiveAt = point.goLiveAt;
  if (q.transport === "live" && point.transport !== "live") {
    const reasons = configReasons(pointConfig(point, cfg.centroControlRut));
    if (reasons.length > 0)
      throw new AppError("CONFLICT", `No se puede pasar a live: ${reasons.join(", ")}`, { details: { reasons } });
    closedSlots = await closeUnsentBefore(db, {
      pointId: q.pointId,
      clientId: point.clientId,
      before: liveFrom,
      reason: "shadow_before_cutover",
      action: "dga.slot.cutover",
      actor: q.actor,
    });
    goLiveAt ??= liveFrom;
  }
  await db.query(
    `UPDATE capture_point SET dga_transport = $2::"DgaTransport", dga_go_live_at = $3,
       dga_slots_complete_until = CASE WHEN dga_go_live_at IS DISTINCT FROM $3 THEN NULL ELSE dga_slots_complete_until END, updated_at = now()
     WHERE id = $1`,
    [q.pointId, q.transport, goLiveAt],
  );
  return {
    clientId: point.clientId,
    before: { dgaTransport: point.transport, dgaGoLiveAt: point.goLiveAt },
    after: { dgaTransport: q.transport, closedSlots, liveFrom, dgaGoLiveAt: goLiveAt },
  };
}

/** Go-live bounds: no obligation before the MEE API existed, none planned more than a year ahead. */
const GO_LIVE_MIN = new Date("2025-01-01T04:00:00Z");
const GO_LIVE_MAX_AHEAD_MS = 366 * 86_400_000;

/**
 * Staff edit of a point's obligation start. Moving it earlier makes the cycle walk (and create) the
 * newly owed hours; moving it later closes the unsent slots before it as skipped (`before_go_live`),
 * so nothing SmartHydro does not owe is ever sent. A live point always keeps one.
 */
export async function setGoLive(
  db: Queryable,
  q: { pointId: number; goLiveAt: Date | null; actor: string },
  now: Date,
) {
  const point = (await loadPoints(db, [q.pointId])).get(q.pointId);
  if (!point) throw new AppError("NOT_FOUND", "Punto no encontrado");
  if (q.goLiveAt === null && point.transport === "live")
    throw new AppError("CONFLICT", "Un punto en vivo siempre tiene inicio de obligación");
  if (q.goLiveAt && (q.goLiveAt < GO_LIVE_MIN || q.goLiveAt.getTime() > now.getTime() + GO_LIVE_MAX_AHEAD_MS)) {
    throw new AppError("BAD_INPUT", "Inicio de obligación fuera de rango (desde 2025 y hasta un año adelante)");
  }
  let closedSlots = 0;
  if (q.goLiveAt && (!point.goLiveAt || q.goLiveAt > point.goLiveAt)) {
    closedSlots = await closeUnsentBefore(db, {
      pointId: q.pointId,
      clientId: point.clientId,
      before: q.goLiveAt,
      reason: "before_go_live",
      action: "dga.slot.before_go_live",
      actor: q.actor,
    });
  }
  await db.query(
    `UPDATE capture_point SET dga_go_live_at = $2, dga_slots_complete_until = NULL, updated_at = now() WHERE id = $1`,
    [q.pointId, q.goLiveAt],
  );
  return {
    clientId: point.clientId,
    before: { dgaGoLiveAt: point.goLiveAt },
    after: { dgaGoLiveAt: q.goLiveAt, closedSlots },
  };
}

/** Unsent slots before an instant → skipped with the reason, audited in the same statement. */
async function closeUnsentBefore(
  db: Queryable,
  q: { pointId: number; clientId: number; before: Date; reason: string; action: string; actor: string },
): Promise<number> {
  const r = await db.query(
    `WITH upd AS (
       UPDATE dga_slot SET state = 'skipped', reasons = ARRAY[$5::text], next_attempt_at = NULL, updated_at = now()
       WHERE point_id = $1 AND slot_at < $2 AND state IN ('empty', 'pending', 'rejected', 'requires_review') RETURNING id, state
     )
     INSERT INTO audit_log (actor_label, action, entity, entity_id, client_id, before, after)
     SELECT $3, $6, 'dga_slot', upd.id::text, $4, NULL, jsonb_build_object('state', 'skipped', 'reasons', ARRAY[$5::text]) FROM upd`,
    [q.pointId, q.before, q.actor, q.clientId, q.reason, q.action],
  );
  return r.rowCount ?? 0;
}
