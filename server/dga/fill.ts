import { fillSlot, type FillResult, type SlotMeasurement, type SlotValues } from "@/domain/dga/fill";
import { decideSlotState, validateSlot, type SlotReason } from "@/domain/dga/validate";
import { VARIABLE_BY_CODE } from "@/domain/measurements/types";
import { SYSTEM_ACTOR, type DgaConfig } from "./config";
import { notify, type Queryable } from "./events";
import { loadPoints, pointConfig, type DgaPointRow } from "./points";

/** Review reasons a refill may clear on its own (late data, configuration fixed later). */
const REFILLABLE_REASONS = [
  "no_data_stale",
  "obra_code_missing",
  "obra_code_invalid",
  "informante_missing",
  "informante_invalid",
  "centro_control_missing",
  "centro_control_invalid",
];

interface Candidate {
  id: string;
  pointId: number;
  slotAt: Date;
  state: string;
  reasons: string[] | null;
}
interface History {
  slotId: string;
  slotAt: Date;
  flowLps: number | null;
  totalizerM3: number | null;
}

/**
 * Fills due slots from processed measurements (exact-minute rule, latest correction wins) and moves
 * them to pending / requires_review / skipped. Empty slots are revisited every cycle, so late data are
 * rescued; stale ones go to review and old ones are written off (domain decideSlotState).
 */
export async function fillSlots(
  db: Queryable,
  now: Date,
  cfg: DgaConfig,
): Promise<{ examined: number; changed: number; byState: Record<string, number> }> {
  let cursor = "0";
  let examined = 0;
  let changed = 0;
  const byState: Record<string, number> = {};
  for (;;) {
    const { rows } = await db.query<Candidate>(
      `SELECT s.id::text AS id, s.point_id AS "pointId", s.slot_at AS "slotAt", s.state::text AS state, s.reasons
       FROM dga_slot s JOIN capture_point p ON p.id = s.point_id AND p.dga_transport IN ('shadow', 'live')
       WHERE s.id > $1::bigint AND s.slot_at <= $2
         AND (s.state = 'empty' OR (s.state = 'requires_review' AND s.reviewed_by_id IS NULL AND s.reasons <@ $3::text[] AND cardinality(s.reasons) > 0))
       ORDER BY s.id LIMIT $4`,
      [cursor, now, REFILLABLE_REASONS, cfg.fillBatchSize],
    );
    if (rows.length === 0) break;
    cursor = rows[rows.length - 1]!.id;
    examined += rows.length;
    const result = await fillBatch(db, rows, now, cfg);
    changed += result.changed;
    for (const [k, v] of Object.entries(result.byState)) byState[k] = (byState[k] ?? 0) + v;
    if (rows.length < cfg.fillBatchSize) break;
  }
  return { examined, changed, byState };
}

async function fillBatch(db: Queryable, slots: Candidate[], now: Date, cfg: DgaConfig) {
  const ids = slots.map((s) => s.id);
  const pointIds = slots.map((s) => s.pointId);
  const ats = slots.map((s) => s.slotAt);
  const points = await loadPoints(db, pointIds);
  const measured = await db.query<{
    slotId: string;
    variable: number;
    ts: Date;
    value: number | null;
    quality: number;
  }>(
    `SELECT s.id::text AS "slotId", m.variable, m.ts, COALESCE(c.value, m.value) AS value, COALESCE(c.quality, m.quality) AS quality
     FROM unnest($1::bigint[], $2::int[], $3::timestamptz[]) AS s(id, point_id, slot_at)
     JOIN measurement m ON m.point_id = s.point_id AND m.ts >= s.slot_at AND m.ts < s.slot_at + interval '1 minute'
     LEFT JOIN LATERAL (SELECT value, quality FROM measurement_correction c WHERE c.point_id = m.point_id AND c.variable = m.variable AND c.ts = m.ts ORDER BY c.id DESC LIMIT 1) c ON true`,
    [ids, pointIds, ats],
  );
  const history = await db.query<History>(
    `SELECT s.id::text AS "slotId", h.slot_at AS "slotAt", h.flow_lps AS "flowLps", h.totalizer_m3 AS "totalizerM3"
     FROM unnest($1::bigint[], $2::int[], $3::timestamptz[]) AS s(id, point_id, slot_at)
     CROSS JOIN LATERAL (SELECT slot_at, flow_lps, totalizer_m3 FROM dga_slot d WHERE d.point_id = s.point_id AND d.slot_at < s.slot_at AND d.totalizer_m3 IS NOT NULL ORDER BY d.slot_at DESC LIMIT 3) h
     ORDER BY h.slot_at`,
    [ids, pointIds, ats],
  );
  const bySlot = groupBy(measured.rows, (r) => r.slotId);
  const historyBySlot = groupBy(history.rows, (r) => r.slotId);

  const updates: {
    id: string;
    from: string;
    state: string;
    reasons: string[];
    values: SlotValues | null;
    clientId: number;
    before: unknown;
  }[] = [];
  const noData = new Map<number, DgaPointRow>();
  for (const slot of slots) {
    const point = points.get(slot.pointId);
    if (!point) continue;
    const rule = cfg.standards[point.standard];
    const measurements: SlotMeasurement[] = (bySlot.get(slot.id) ?? []).flatMap((m) => {
      const variable = VARIABLE_BY_CODE[m.variable];
      return variable ? [{ variable, ts: m.ts, value: m.value, quality: m.quality }] : [];
    });
    const recent = historyBySlot.get(slot.id) ?? [];
    const previous = recent[recent.length - 1];
    const fill: FillResult = fillSlot({
      slotAt: slot.slotAt,
      rule,
      pointKind: point.kind,
      measurements,
      previous: previous ? { slotAt: previous.slotAt, values: { totalizerM3: previous.totalizerM3 } } : null,
    });
    const reasons: SlotReason[] =
      fill.kind === "filled"
        ? validateSlot(fill.values, {
            kind: point.kind,
            rule,
            grantedFlowLps: point.grantedFlowLps,
            previousTotalizerM3: previous?.totalizerM3 ?? null,
            recentSlots: recent,
            flaggedVariables: fill.flaggedVariables,
            config: pointConfig(point, cfg.centroControlRut),
          })
        : [];
    const decision = decideSlotState({
      fill,
      reasons,
      slotAt: slot.slotAt,
      now,
      staleAfterHours: cfg.staleAfterHours,
      writeOffAfterDays: cfg.writeOffAfterDays,
    });
    if (decision.reasons.includes("no_data_stale")) noData.set(point.id, point);
    const sameReasons = [...(slot.reasons ?? [])].sort().join() === [...decision.reasons].sort().join();
    if (decision.state === slot.state && sameReasons) continue;
    if (decision.state === "empty" && slot.state !== "empty") continue;
    updates.push({
      id: slot.id,
      from: slot.state,
      state: decision.state,
      reasons: decision.reasons,
      values: fill.kind === "filled" ? fill.values : null,
      clientId: point.clientId,
      before: { state: slot.state, reasons: slot.reasons },
    });
  }
  const changed = await applyUpdates(db, updates);
  for (const p of noData.values()) {
    await notify(db, {
      clientId: p.clientId,
      event: "dga_review",
      severity: "warning",
      title: `Sin datos para la DGA en ${p.name}`,
      body: `El punto ${p.obraCode ?? p.name} tiene horas sin mediciones por más de ${cfg.staleAfterHours} h; quedan en revisión.`,
      groupKey: `dga:nodata:${p.id}`,
      payload: { pointId: p.id },
      dedupeHours: 24,
    });
  }
  const byState: Record<string, number> = {};
  for (const u of updates) byState[u.state] = (byState[u.state] ?? 0) + 1;
  return { changed, byState };
}

/** One statement: conditional state change (only if nobody moved the slot meanwhile) plus its audit rows. */
async function applyUpdates(
  db: Queryable,
  updates: {
    id: string;
    from: string;
    state: string;
    reasons: string[];
    values: SlotValues | null;
    clientId: number;
    before: unknown;
  }[],
): Promise<number> {
  if (updates.length === 0) return 0;
  const col = <T>(f: (u: (typeof updates)[number]) => T) => updates.map(f);
  const r = await db.query(
    `WITH u AS (
       SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::float8[], $6::float8[], $7::float8[], $8::float8[], $9::int[], $10::text[])
         AS u(id, from_state, state, reasons, flow, tot, lvl, h, client_id, before)
     ), upd AS (
       UPDATE dga_slot d SET state = u.state::"SlotState", reasons = string_to_array(NULLIF(u.reasons, ''), ',')::text[],
         flow_lps = u.flow, totalizer_m3 = u.tot, level_m = u.lvl, height_cm = u.h, updated_at = now()
       FROM u WHERE d.id = u.id AND d.state = u.from_state::"SlotState"
       RETURNING d.id, u.state, u.reasons, u.flow, u.tot, u.lvl, u.h, u.client_id, u.before
     )
     INSERT INTO audit_log (actor_label, action, entity, entity_id, client_id, before, after)
     SELECT $11, 'dga.slot.fill', 'dga_slot', upd.id::text, upd.client_id, upd.before::jsonb,
       jsonb_build_object('state', upd.state, 'reasons', string_to_array(NULLIF(upd.reasons, ''), ','), 'flowLps', upd.flow, 'totalizerM3', upd.tot, 'levelM', upd.lvl, 'heightCm', upd.h)
     FROM upd`,
    [
      col((u) => u.id),
      col((u) => u.from),
      col((u) => u.state),
      col((u) => u.reasons.join(",")),
      col((u) => u.values?.flowLps ?? null),
      col((u) => u.values?.totalizerM3 ?? null),
      col((u) => u.values?.levelM ?? null),
      col((u) => u.values?.heightCm ?? null),
      col((u) => u.clientId),
      col((u) => JSON.stringify(u.before)),
      SYSTEM_ACTOR,
    ],
  );
  return r.rowCount ?? 0;
}

function groupBy<T>(rows: T[], key: (r: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const r of rows) {
    const k = key(r);
    const list = m.get(k);
    if (list) list.push(r);
    else m.set(k, [r]);
  }
  return m;
}
