import type { PointKind } from "@/domain/dga/contract";
import { consultUrl } from "@/domain/dga/receipt";
import { fromDgaWallClock, toDgaDateTime } from "@/domain/dga/time";
import type { Queryable } from "./events";
import { monthRange, worstLight, type Light } from "@/domain/dga/calendar";
import {
  accountSlots,
  addToTally,
  dgaDayOf,
  emptyTally,
  mergeTally,
  pctOf,
  type AccountedSlot,
  type Tally,
} from "@/domain/dga/accounting";
import { DEFAULT_STANDARDS, type DgaStandard, type StandardsConfig } from "@/domain/dga/standards";
import { toCsv } from "@/domain/csv";
import { slotCell, type CellState } from "@/domain/dga/matrix";

export const monthBounds = (month: string) => {
  const { year, month: m } = monthRange(month);
  return { from: fromDgaWallClock({ year, month: m }), to: fromDgaWallClock({ year, month: m + 1 }) };
};

interface SlotRow {
  id: string;
  pointId: number;
  slotAt: Date;
  state: string;
  reasons: string[] | null;
  receipt: string | null;
  attempts: number;
  nextAttemptAt: Date | null;
  sentAt: Date | null;
  lastError: string | null;
}

interface OwedPoint {
  id: number;
  clientId: number;
  name: string;
  obraCode: string | null;
  standard: DgaStandard;
  goLiveAt: Date | null;
}

const SLOT_COLUMNS = `s.id::text AS id, s.point_id AS "pointId", s.slot_at AS "slotAt", s.state::text AS state, s.reasons, s.receipt, s.attempts,
  s.next_attempt_at AS "nextAttemptAt", s.sent_at AS "sentAt", s.last_error AS "lastError"`;

/**
 * The client's points (or several clients' points) with their rows in [from, to), each merged with its standard's
 * calendar since go-live.
 */
export async function accounted(
  db: Queryable,
  q: { clientId: number | readonly number[]; pointId?: number },
  from: Date,
  to: Date,
  now: Date,
  standards: StandardsConfig,
) {
  const clientIds = typeof q.clientId === "number" ? [q.clientId] : [...q.clientId];
  const points = await db.query<OwedPoint>(
    `SELECT id, client_id AS "clientId", name, obra_code AS "obraCode", dga_standard::text AS standard, dga_go_live_at AS "goLiveAt"
     FROM capture_point WHERE client_id = ANY($1::int[]) AND ($2::int IS NULL OR id = $2) ORDER BY id`,
    [clientIds, q.pointId ?? null],
  );
  const { rows } = await db.query<SlotRow>(
    `SELECT ${SLOT_COLUMNS} FROM dga_slot s JOIN capture_point p ON p.id = s.point_id
     WHERE p.client_id = ANY($1::int[]) AND ($2::int IS NULL OR s.point_id = $2) AND s.slot_at >= $3 AND s.slot_at < $4 ORDER BY s.point_id, s.slot_at`,
    [clientIds, q.pointId ?? null, from, to],
  );
  const byPoint = new Map<number, SlotRow[]>();
  for (const r of rows) {
    const list = byPoint.get(r.pointId);
    if (list) list.push(r);
    else byPoint.set(r.pointId, [r]);
  }
  return points.rows
    .map((p) => ({
      point: p,
      slots: accountSlots({
        rule: standards[p.standard],
        goLiveAt: p.goLiveAt,
        from,
        to,
        now,
        rows: byPoint.get(p.id) ?? [],
      }),
    }))
    .filter((x) => x.slots.length > 0);
}

/**
 * Month calendar: per point and UTC-4 day the counts by state (with "missing" for owed hours without a
 * row) and the worst light; with a point, every slot too, holes included (id null, state "missing").
 */
export async function calendar(
  db: Queryable,
  q: { clientId: number; pointId?: number; month: string },
  now: Date,
  standards: StandardsConfig = DEFAULT_STANDARDS,
) {
  const { from, to } = monthBounds(q.month);
  const days = new Map<string, { pointId: number; day: string; counts: Record<string, number>; lights: Light[] }>();
  const slots: (Omit<SlotRow, "id"> & {
    id: string | null;
    fecha: string;
    hora: string;
    light: Light;
    owed: boolean;
    cell: CellState;
  })[] = [];
  for (const { point, slots: list } of await accounted(db, q, from, to, now, standards)) {
    for (const s of list) {
      const { fecha, hora } = toDgaDateTime(s.slotAt);
      const key = `${point.id}|${fecha}`;
      const d = days.get(key) ?? { pointId: point.id, day: fecha, counts: {}, lights: [] };
      d.counts[s.state] = (d.counts[s.state] ?? 0) + 1;
      d.lights.push(s.light);
      days.set(key, d);
      if (q.pointId) {
        const base = s.row ?? {
          id: null,
          pointId: point.id,
          slotAt: s.slotAt,
          state: "missing",
          reasons: null,
          receipt: null,
          attempts: 0,
          nextAttemptAt: null,
          sentAt: null,
          lastError: null,
        };
        slots.push({
          ...base,
          state: s.state,
          fecha,
          hora,
          light: s.light,
          owed: s.owed,
          cell: slotCell({ ...s, reasons: base.reasons, sentAt: base.sentAt }, now),
        });
      }
    }
  }
  return {
    month: q.month,
    days: [...days.values()].map(({ lights, ...d }) => ({ ...d, light: worstLight(lights) })),
    slots,
  };
}

/**
 * Compliance per UTC-4 month and point, counted on the standard's calendar since go-live (docs/DGA.md §7):
 * due = owed boundaries up to now = sent + failed + review + pending + skipped + missing.
 */
export async function summary(
  db: Queryable,
  q: { clientId: number; pointId?: number; fromMonth: string; toMonth: string },
  now: Date,
  standards: StandardsConfig = DEFAULT_STANDARDS,
) {
  const from = monthBounds(q.fromMonth).from;
  const to = monthBounds(q.toMonth).to;
  const points: ({
    pointId: number;
    name: string;
    obraCode: string | null;
    month: string;
    compliancePct: number | null;
    onTimePct: number | null;
  } & Tally)[] = [];
  const months = new Map<string, Tally>();
  for (const { point, slots } of await accounted(db, q, from, to, now, standards)) {
    const byMonth = new Map<string, AccountedSlot<SlotRow>[]>();
    for (const s of slots) {
      if (!s.owed) continue;
      const { month } = dgaDayOf(s.slotAt);
      const list = byMonth.get(month);
      if (list) list.push(s);
      else byMonth.set(month, [s]);
    }
    for (const [month, list] of byMonth) {
      const t = addToTally(emptyTally(), list);
      points.push({
        pointId: point.id,
        name: point.name,
        obraCode: point.obraCode,
        month,
        ...t,
        compliancePct: pctOf(t.sent, t.due),
        onTimePct: pctOf(t.sent - t.late, t.due),
      });
      months.set(month, mergeTally(months.get(month) ?? emptyTally(), t));
    }
  }
  points.sort((a, b) => a.month.localeCompare(b.month) || a.pointId - b.pointId);
  const client = [...months.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([month, t]) => ({
      month,
      ...t,
      compliancePct: pctOf(t.sent, t.due),
      onTimePct: pctOf(t.sent - t.late, t.due),
    }));
  return { points, client };
}

export async function reviewQueue(db: Queryable, q: { clientId: number; pointId?: number; limit: number }) {
  const { rows } = await db.query(
    `SELECT ${SLOT_COLUMNS}, p.name AS "pointName", p.obra_code AS "obraCode", s.flow_lps AS "flowLps", s.totalizer_m3 AS "totalizerM3", s.level_m AS "levelM", s.height_cm AS "heightCm"
     FROM dga_slot s JOIN capture_point p ON p.id = s.point_id
     WHERE p.client_id = $1 AND ($2::int IS NULL OR s.point_id = $2) AND s.state = 'requires_review' ORDER BY s.slot_at LIMIT $3`,
    [q.clientId, q.pointId ?? null, q.limit],
  );
  return rows;
}

interface ReceiptRow {
  id: string;
  pointId: number;
  pointName: string;
  obraCode: string;
  kind: PointKind;
  slotAt: Date;
  receipt: string;
  sentAt: Date | null;
  verifiedAt: Date | null;
  flowLps: number | null;
  totalizerM3: number | null;
  levelM: number | null;
  heightCm: number | null;
}

export async function receipts(
  db: Queryable,
  q: { clientId: number; pointId?: number; month?: string; limit: number },
  apiUrl: string,
) {
  const range = q.month ? monthBounds(q.month) : null;
  const { rows } = await db.query<ReceiptRow>(
    `SELECT s.id::text AS id, s.point_id AS "pointId", p.name AS "pointName", p.obra_code AS "obraCode", p.kind::text AS kind, s.slot_at AS "slotAt",
       s.receipt, s.sent_at AS "sentAt", s.verified_at AS "verifiedAt", s.flow_lps AS "flowLps", s.totalizer_m3 AS "totalizerM3", s.level_m AS "levelM", s.height_cm AS "heightCm"
     FROM dga_slot s JOIN capture_point p ON p.id = s.point_id
     WHERE p.client_id = $1 AND ($2::int IS NULL OR s.point_id = $2) AND s.state = 'sent' AND s.receipt IS NOT NULL AND p.obra_code IS NOT NULL
       AND ($3::timestamptz IS NULL OR s.slot_at >= $3) AND ($4::timestamptz IS NULL OR s.slot_at < $4)
     ORDER BY s.slot_at DESC LIMIT $5`,
    [q.clientId, q.pointId ?? null, range?.from ?? null, range?.to ?? null, q.limit],
  );
  return rows.map((r) => ({
    ...r,
    ...toDgaDateTime(r.slotAt),
    consultUrl: consultUrl(r.kind, r.obraCode, r.receipt, apiUrl),
  }));
}

export function receiptsCsv(list: Awaited<ReturnType<typeof receipts>>): string {
  return toCsv(
    [
      "obra",
      "punto",
      "fechaMedicion",
      "horaMedicion",
      "caudal_lps",
      "totalizador_m3",
      "nivel_m",
      "altura_cm",
      "comprobante",
      "enviado",
      "verificado",
      "url",
    ],
    list.map((r) => [
      r.obraCode,
      r.pointName,
      r.fecha,
      r.hora,
      r.flowLps,
      r.totalizerM3,
      r.levelM,
      r.heightCm,
      r.receipt,
      r.sentAt,
      r.verifiedAt,
      r.consultUrl,
    ]),
  );
}

export async function slotAttempts(db: Queryable, slotId: number) {
  const { rows } = await db.query(
    `SELECT id::text AS id, started_at AS "startedAt", duration_ms AS "durationMs", url, request, http_status AS "httpStatus", response, outcome, receipt, worker
     FROM dga_attempt WHERE slot_id = $1::bigint ORDER BY id`,
    [slotId],
  );
  return rows;
}
