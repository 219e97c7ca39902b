import type { PointKind } from "@/domain/dga/contract";
import { consultUrl } from "@/domain/dga/receipt";
import { fromDgaWallClock, toDgaDateTime } from "@/domain/dga/time";
import type { Queryable } from "./events";
import { monthRange, slotLight, worstLight, type Light } from "@/domain/dga/calendar";
import { toCsv } from "@/domain/csv";

const monthBounds = (month: string) => {
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

const SLOT_COLUMNS = `s.id::text AS id, s.point_id AS "pointId", s.slot_at AS "slotAt", s.state::text AS state, s.reasons, s.receipt, s.attempts,
  s.next_attempt_at AS "nextAttemptAt", s.sent_at AS "sentAt", s.last_error AS "lastError"`;

/** Month calendar: per point and UTC-4 day the state counts and the worst light; with a point, every slot too. */
export async function calendar(db: Queryable, q: { clientId: number; pointId?: number; month: string }, now: Date) {
  const { from, to } = monthBounds(q.month);
  const { rows } = await db.query<SlotRow>(
    `SELECT ${SLOT_COLUMNS} FROM dga_slot s JOIN capture_point p ON p.id = s.point_id
     WHERE p.client_id = $1 AND ($2::int IS NULL OR s.point_id = $2) AND s.slot_at >= $3 AND s.slot_at < $4 ORDER BY s.point_id, s.slot_at`,
    [q.clientId, q.pointId ?? null, from, to],
  );
  const days = new Map<string, { pointId: number; day: string; counts: Record<string, number>; lights: Light[] }>();
  const slots = rows.map((r) => {
    const { fecha, hora } = toDgaDateTime(r.slotAt);
    const light = slotLight(r, now);
    const key = `${r.pointId}|${fecha}`;
    const d = days.get(key) ?? { pointId: r.pointId, day: fecha, counts: {}, lights: [] };
    d.counts[r.state] = (d.counts[r.state] ?? 0) + 1;
    d.lights.push(light);
    days.set(key, d);
    return { ...r, fecha, hora, light };
  });
  return {
    month: q.month,
    days: [...days.values()].map(({ lights, ...d }) => ({ ...d, light: worstLight(lights) })),
    slots: q.pointId ? slots : [],
  };
}

/** Compliance per UTC-4 month and point: due, sent, late (> 1 h), failed, review, pending, skipped and %. */
export async function summary(db: Queryable, q: { clientId: number; pointId?: number; fromMonth: string; toMonth: string }, now: Date) {
  const from = monthBounds(q.fromMonth).from;
  const to = monthBounds(q.toMonth).to;
  const { rows } = await db.query<{ pointId: number; name: string; obraCode: string | null; month: string; due: number; sent: number; late: number; failed: number; review: number; pending: number; skipped: number }>(
    `SELECT s.point_id AS "pointId", p.name, p.obra_code AS "obraCode", to_char(s.slot_at AT TIME ZONE 'Etc/GMT+4', 'YYYY-MM') AS month,
       count(*) FILTER (WHERE s.slot_at <= $5)::int AS due,
       count(*) FILTER (WHERE s.state = 'sent')::int AS sent,
       count(*) FILTER (WHERE s.state = 'sent' AND s.sent_at > s.slot_at + interval '1 hour')::int AS late,
       count(*) FILTER (WHERE s.state = 'failed')::int AS failed,
       count(*) FILTER (WHERE s.state = 'requires_review')::int AS review,
       count(*) FILTER (WHERE s.state IN ('empty', 'pending', 'sending', 'rejected') AND s.slot_at <= $5)::int AS pending,
       count(*) FILTER (WHERE s.state = 'skipped')::int AS skipped
     FROM dga_slot s JOIN capture_point p ON p.id = s.point_id
     WHERE p.client_id = $1 AND ($2::int IS NULL OR s.point_id = $2) AND s.slot_at >= $3 AND s.slot_at < $4
     GROUP BY s.point_id, p.name, p.obra_code, month ORDER BY month, s.point_id`,
    [q.clientId, q.pointId ?? null, from, to, now],
  );
  const pct = (n: number, d: number) => (d > 0 ? Math.round((n / d) * 1000) / 10 : null);
  const points = rows.map((r) => ({ ...r, compliancePct: pct(r.sent, r.due), onTimePct: pct(r.sent - r.late, r.due) }));
  const months = new Map<string, { month: string; due: number; sent: number; late: number; failed: number; review: number; pending: number; skipped: number }>();
  for (const r of rows) {
    const m = months.get(r.month) ?? { month: r.month, due: 0, sent: 0, late: 0, failed: 0, review: 0, pending: 0, skipped: 0 };
    for (const k of ["due", "sent", "late", "failed", "review", "pending", "skipped"] as const) m[k] += r[k];
    months.set(r.month, m);
  }
  return { points, client: [...months.values()].map((m) => ({ ...m, compliancePct: pct(m.sent, m.due), onTimePct: pct(m.sent - m.late, m.due) })) };
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

export async function receipts(db: Queryable, q: { clientId: number; pointId?: number; month?: string; limit: number }, apiUrl: string) {
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
  return rows.map((r) => ({ ...r, ...toDgaDateTime(r.slotAt), consultUrl: consultUrl(r.kind, r.obraCode, r.receipt, apiUrl) }));
}

export function receiptsCsv(list: Awaited<ReturnType<typeof receipts>>): string {
  return toCsv(
    ["obra", "punto", "fechaMedicion", "horaMedicion", "caudal_lps", "totalizador_m3", "nivel_m", "altura_cm", "comprobante", "enviado", "verificado", "url"],
    list.map((r) => [r.obraCode, r.pointName, r.fecha, r.hora, r.flowLps, r.totalizerM3, r.levelM, r.heightCm, r.receipt, r.sentAt, r.verifiedAt, r.consultUrl]),
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
