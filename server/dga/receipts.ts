import { AppError } from "@/domain/errors";
import { measurementOf, type DgaRequest } from "@/domain/dga/payload";
import { compareReceiptData, type ReceiptDiff } from "@/domain/dga/receipt";
import { getReceipt, type FetchLike } from "./client";
import type { DgaConfig } from "./config";
import { auditSlot, notify, type Queryable } from "./events";
import { loadPoints } from "./points";

export type VerifyResult =
  | { status: "match"; receipt: string; verifiedAt: Date }
  | { status: "mismatch"; receipt: string; diffs: ReceiptDiff[] }
  | { status: "not_found"; receipt: string; message: string }
  | { status: "unreachable"; receipt: string; error: string };

/** GETs a sent slot's receipt from MEE and compares it with what we POSTed (numeric, DD-MM-YYYY aware). */
export async function verifyReceipt(
  db: Queryable,
  slotId: string,
  now: Date,
  cfg: DgaConfig,
  fetchImpl?: FetchLike,
): Promise<VerifyResult> {
  const { rows } = await db.query<{ pointId: number; state: string; receipt: string | null }>(
    `SELECT point_id AS "pointId", state::text AS state, receipt FROM dga_slot WHERE id = $1::bigint`,
    [slotId],
  );
  const slot = rows[0];
  if (!slot) throw new AppError("NOT_FOUND", "Slot no encontrado");
  if (slot.state !== "sent" || !slot.receipt)
    throw new AppError("CONFLICT", "El slot no tiene comprobante para verificar");
  const point = (await loadPoints(db, [slot.pointId])).get(slot.pointId);
  if (!point?.obraCode) throw new AppError("CONFLICT", "El punto no tiene código de obra");
  const sentRow = await db.query<{ request: DgaRequest }>(
    `SELECT request FROM dga_attempt WHERE slot_id = $1::bigint AND outcome IN ('sent', 'duplicate') ORDER BY (receipt = $2) DESC, id DESC LIMIT 1`,
    [slotId, slot.receipt],
  );
  const request = sentRow.rows[0]?.request;
  if (!request) throw new AppError("CONFLICT", "No hay registro del envío para comparar");

  const receipt = slot.receipt;
  const http = await getReceipt({
    baseUrl: cfg.apiUrl,
    kind: point.kind,
    obraCode: point.obraCode,
    receipt,
    timeoutMs: cfg.receiptTimeoutMs,
    fetchImpl,
  });
  if (http.httpStatus === null) return { status: "unreachable", receipt, error: http.error ?? "no answer" };
  const answer = parseAnswer(http.bodyText);
  if (http.httpStatus >= 500 || !answer) return { status: "unreachable", receipt, error: `HTTP ${http.httpStatus}` };

  const found = String(answer.status) === "00" && !!answer.data;
  const compared = found ? compareReceiptData(measurementOf(request.body), answer.data) : null;
  if (compared?.match) {
    await db.query(`UPDATE dga_slot SET verified_at = $2, updated_at = now() WHERE id = $1::bigint`, [slotId, now]);
    await auditSlot(db, {
      action: "dga.receipt.verified",
      slotId,
      clientId: point.clientId,
      after: { receipt, verifiedAt: now },
    });
    return { status: "match", receipt, verifiedAt: now };
  }
  const diffs = compared?.diffs ?? [];
  const message = typeof answer.message === "string" ? answer.message : "";
  await auditSlot(db, {
    action: "dga.receipt.mismatch",
    slotId,
    clientId: point.clientId,
    after: { receipt, diffs, httpStatus: http.httpStatus, message },
  });
  await notify(db, {
    clientId: point.clientId,
    event: "receipt_mismatch",
    severity: "critical",
    title: `Comprobante DGA no coincide (${point.obraCode})`,
    body: found
      ? `MEE devuelve otros valores para ${receipt}: ${diffs.map((d) => `${d.field} enviado ${d.sent}, MEE ${d.got ?? "vacío"}`).join("; ")}`
      : `MEE no encuentra el comprobante ${receipt}: ${message}`,
    groupKey: `dga:receipt:${slotId}`,
    payload: { slotId, receipt, diffs },
    dedupeHours: 24,
  });
  return found ? { status: "mismatch", receipt, diffs } : { status: "not_found", receipt, message };
}

/** Periodic sample: a few sent, never-verified receipts older than an hour. */
export async function sampleReceipts(
  db: Queryable,
  now: Date,
  cfg: DgaConfig,
  fetchImpl?: FetchLike,
): Promise<Record<string, number>> {
  if (cfg.receiptSampleSize <= 0) return {};
  const { rows } = await db.query<{ id: string }>(
    `SELECT id::text AS id FROM dga_slot WHERE state = 'sent' AND receipt IS NOT NULL AND verified_at IS NULL AND sent_at < $1::timestamptz - interval '1 hour' AND sent_at > $1::timestamptz - interval '7 days'
     ORDER BY random() LIMIT $2`,
    [now, cfg.receiptSampleSize],
  );
  const counts: Record<string, number> = {};
  for (const r of rows) {
    const v = await verifyReceipt(db, r.id, now, cfg, fetchImpl).catch((e: unknown) =>
      AppError.is(e) ? null : Promise.reject(e),
    );
    if (v) counts[v.status] = (counts[v.status] ?? 0) + 1;
  }
  return counts;
}

interface GetAnswer {
  status?: unknown;
  message?: unknown;
  data?: Record<string, unknown> | null;
}

function parseAnswer(text: string | null): GetAnswer | null {
  try {
    const v: unknown = JSON.parse(text ?? "");
    return v && typeof v === "object" && !Array.isArray(v) ? (v as GetAnswer) : null;
  } catch {
    return null;
  }
}
