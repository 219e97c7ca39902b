import type pg from "pg";
import { AppError } from "@/domain/errors";
import { buildRequest, redactRequest, type DgaRequest } from "@/domain/dga/payload";
import { classifyResponse, type DgaOutcome } from "@/domain/dga/response";
import { metrics } from "@/server/metrics/registry";
import { afterAttempt, type AttemptResult } from "@/domain/dga/retry";
import { decryptSecret } from "@/server/crypto";
import { postMeasurement, type FetchLike } from "./client";
import { SYSTEM_ACTOR, type DgaConfig } from "./config";
import { notify, type Queryable } from "./events";
import { loadPoints, type DgaPointRow } from "./points";

/** pg advisory-lock namespace for "one POST at a time per obra". */
const OBRA_LOCK_NS = 0x4447;
const RESPONSE_MAX_CHARS = 4_000;

export interface ClaimedSlot {
  id: string;
  pointId: number;
  slotAt: Date;
  attempts: number;
  flowLps: number | null;
  totalizerM3: number | null;
  levelM: number | null;
  heightCm: number | null;
}

export type ClaimResult =
  { kind: "claimed"; slot: ClaimedSlot } | { kind: "not_due" } | { kind: "wait"; untilMs: number };

/**
 * Last POST to each obra, from the append-only attempt log (any outcome counts). A POST always touches
 * its slot's updated_at (claim, then result), so only slots touched in the last day are looked at
 * (index point_id, updated_at); the spacing is minutes, far inside that window.
 */
export async function lastPostAt(db: Queryable, pointIds: number[]): Promise<Map<number, Date>> {
  if (pointIds.length === 0) return new Map();
  const { rows } = await db.query<{ pointId: number; last: Date }>(
    `SELECT s.point_id AS "pointId", max(a.started_at) AS last FROM dga_slot s JOIN dga_attempt a ON a.slot_id = s.id
     WHERE s.point_id = ANY($1::int[]) AND s.updated_at > now() - interval '1 day' GROUP BY s.point_id`,
    [pointIds],
  );
  return new Map(rows.map((r) => [r.pointId, r.last]));
}

/**
 * pending|rejected → sending in one conditional UPDATE … RETURNING, under a per-obra advisory lock, so
 * two workers never hold the same slot and an obra never has two POSTs in flight or closer than the spacing.
 */
export async function claimSlot(pool: pg.Pool, slotId: string, now: Date, cfg: DgaConfig): Promise<ClaimResult> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const head = await client.query<{ pointId: number }>(
      `SELECT point_id AS "pointId", pg_advisory_xact_lock($3, point_id) FROM dga_slot
       WHERE id = $1::bigint AND state IN ('pending', 'rejected') AND (next_attempt_at IS NULL OR next_attempt_at <= $2) AND slot_at <= $2`,
      [slotId, now, OBRA_LOCK_NS],
    );
    const pointId = head.rows[0]?.pointId;
    if (pointId === undefined) return await rollback(client, { kind: "not_due" });
    const { rows } = await client.query<ClaimedSlot>(
      `UPDATE dga_slot s SET state = 'sending', lease_owner = $2, lease_until = $3::timestamptz + make_interval(secs => $4::float8 / 1000),
         attempts = s.attempts + 1, updated_at = now()
       WHERE s.id = $1::bigint AND s.state IN ('pending', 'rejected') AND (s.next_attempt_at IS NULL OR s.next_attempt_at <= $3) AND s.slot_at <= $3
         AND EXISTS (SELECT 1 FROM capture_point p WHERE p.id = s.point_id AND p.dga_transport = 'live' AND (p.dga_go_live_at IS NULL OR s.slot_at >= p.dga_go_live_at))
         AND NOT EXISTS (SELECT 1 FROM dga_slot o WHERE o.point_id = s.point_id AND o.state = 'sending')
         AND NOT EXISTS (SELECT 1 FROM dga_slot r JOIN dga_attempt a ON a.slot_id = r.id
           WHERE r.point_id = s.point_id AND r.updated_at > now() - interval '1 day' AND a.started_at > $3::timestamptz - make_interval(secs => $5::float8 * 60))
       RETURNING s.id::text AS id, s.point_id AS "pointId", s.slot_at AS "slotAt", s.attempts, s.flow_lps AS "flowLps",
         s.totalizer_m3 AS "totalizerM3", s.level_m AS "levelM", s.height_cm AS "heightCm"`,
      [slotId, cfg.workerId, now, cfg.leaseMs, cfg.backlogSpacingMin],
    );
    if (rows.length === 0) {
      const last = (await lastPostAt(client, [pointId])).get(pointId);
      const readyAtMs = last ? last.getTime() + cfg.backlogSpacingMin * 60_000 : 0;
      return await rollback(
        client,
        readyAtMs > now.getTime() ? { kind: "wait", untilMs: readyAtMs } : { kind: "not_due" },
      );
    }
    await client.query("COMMIT");
    const slot = rows[0];
    return slot ? { kind: "claimed", slot } : { kind: "not_due" };
  } catch (e) {
    await client.query("ROLLBACK").catch(() => {});
    throw e;
  } finally {
    client.release();
  }
}

async function rollback<T>(client: pg.PoolClient, value: T): Promise<T> {
  await client.query("ROLLBACK");
  return value;
}

export type SubmitResult =
  | { kind: "skipped"; reason: "kill_switch" | "not_due" }
  | { kind: "wait"; untilMs: number }
  | { kind: "config_error"; reason: string }
  | { kind: "attempted"; outcome: DgaOutcome["kind"]; state: AttemptResult["state"]; receipt: string | null };

/**
 * One send of one slot: claim → build → POST → DgaAttempt row (audit first) → slot state (second).
 * If the process dies between the two, the reconciler rebuilds the state from the attempt log.
 */
export async function submitSlot(
  pool: pg.Pool,
  slotId: string,
  now: Date,
  cfg: DgaConfig,
  fetchImpl?: FetchLike,
): Promise<SubmitResult> {
  if (!cfg.submissionEnabled) return { kind: "skipped", reason: "kill_switch" };
  const claim = await claimSlot(pool, slotId, now, cfg);
  if (claim.kind === "not_due") return { kind: "skipped", reason: "not_due" };
  if (claim.kind === "wait") return claim;
  const slot = claim.slot;
  const point = (await loadPoints(pool, [slot.pointId])).get(slot.pointId);
  const stored = await pool.query<{ receipt: string }>(
    `SELECT receipt FROM dga_attempt WHERE slot_id = $1::bigint AND outcome IN ('sent', 'duplicate') AND receipt IS NOT NULL ORDER BY id LIMIT 1`,
    [slot.id],
  );
  const known = stored.rows[0]?.receipt;
  if (known && point) {
    const result = afterAttempt(
      { kind: "sent", receipt: known, message: "receipt already in attempt log" },
      { attempts: slot.attempts, now, policy: cfg.retryPolicy },
    );
    await pool.query(`UPDATE dga_slot SET attempts = attempts - 1 WHERE id = $1::bigint AND state = 'sending'`, [
      slot.id,
    ]);
    await applyAttemptResult(pool, {
      slot,
      point,
      result,
      message: "",
      leaseOwner: cfg.workerId,
      now,
      action: "dga.slot.recover",
    });
    return { kind: "attempted", outcome: "sent", state: "sent", receipt: known };
  }
  let request: DgaRequest;
  try {
    if (!point) throw new AppError("DGA_CONFIG_MISSING", "point not found", { details: { reason: "point_missing" } });
    request = buildRequest({
      kind: point.kind,
      obraCode: point.obraCode,
      slotAt: slot.slotAt,
      rule: cfg.standards[point.standard],
      centroControlRut: cfg.centroControlRut,
      now,
      values: { flowLps: slot.flowLps, totalizerM3: slot.totalizerM3, levelM: slot.levelM, heightCm: slot.heightCm },
      informante: { rut: point.informanteRut, password: point.passwordEnc ? decryptPassword(point.passwordEnc) : null },
    });
  } catch (e) {
    if (!AppError.is(e, "DGA_CONFIG_MISSING") && !AppError.is(e, "INVALID_PAYLOAD")) throw e;
    const reason =
      (e.details as { reason?: string } | undefined)?.reason ??
      (e.code === "INVALID_PAYLOAD" ? "invalid_payload" : "config_missing");
    await releaseUnsent(pool, slot, point, reason, e.message, cfg);
    return { kind: "config_error", reason };
  }

  const http = await postMeasurement({ baseUrl: cfg.apiUrl, request, timeoutMs: cfg.requestTimeoutMs, fetchImpl });
  const outcome = classifyResponse({ httpStatus: http.httpStatus, bodyText: http.bodyText });
  metrics.dgaSubmissions.inc({ outcome: outcome.kind });
  metrics.dgaSubmissionDuration.observe({ outcome: outcome.kind }, http.durationMs / 1000);
  const receipt = outcome.kind === "sent" || outcome.kind === "duplicate" ? outcome.receipt : null;
  await pool.query(
    `INSERT INTO dga_attempt (slot_id, started_at, duration_ms, url, request, http_status, response, outcome, receipt, worker)
     VALUES ($1::bigint, $2, $3, $4, $5::jsonb, $6, $7, $8, $9, $10)`,
    [
      slot.id,
      now,
      http.durationMs,
      http.url,
      JSON.stringify(redactRequest(request)),
      http.httpStatus,
      (http.bodyText ?? http.error ?? "").slice(0, RESPONSE_MAX_CHARS),
      outcome.kind,
      receipt,
      cfg.workerId,
    ],
  );
  const result = afterAttempt(outcome, { attempts: slot.attempts, now, policy: cfg.retryPolicy });
  await applyAttemptResult(pool, {
    slot,
    point: point!,
    result,
    message: outcome.message || http.error || "",
    leaseOwner: cfg.workerId,
    now,
    action: "dga.slot.attempt",
  });
  return { kind: "attempted", outcome: outcome.kind, state: result.state, receipt: result.receipt };
}

function decryptPassword(enc: string): string | null {
  try {
    return decryptSecret(enc);
  } catch {
    return null;
  }
}

/** sending → final state, only while we (or the expired lease being recovered) still own the slot; audited in the same statement. */
export async function applyAttemptResult(
  db: Queryable,
  a: {
    slot: Pick<ClaimedSlot, "id" | "attempts">;
    point: Pick<DgaPointRow, "id" | "clientId" | "name" | "obraCode">;
    result: AttemptResult;
    message: string;
    leaseOwner: string | null;
    now: Date;
    action: string;
  },
): Promise<boolean> {
  const { result } = a;
  const r = await db.query(
    `WITH upd AS (
       UPDATE dga_slot SET state = $3::"SlotState", receipt = COALESCE($4, receipt), sent_at = CASE WHEN $3 = 'sent' THEN $5::timestamptz ELSE sent_at END,
         next_attempt_at = $6, reasons = $7::text[], last_error = $8, lease_owner = NULL, lease_until = NULL, updated_at = now()
       WHERE id = $1::bigint AND state = 'sending' AND lease_owner IS NOT DISTINCT FROM $2
       RETURNING id
     )
     INSERT INTO audit_log (actor_label, action, entity, entity_id, client_id, before, after)
     SELECT $9, $10, 'dga_slot', upd.id::text, $11, jsonb_build_object('state', 'sending', 'attempts', $12::int), $13::jsonb FROM upd`,
    [
      a.slot.id,
      a.leaseOwner,
      result.state,
      result.receipt,
      a.now,
      result.nextAttemptAt,
      result.reason ? [result.reason] : [],
      result.state === "sent" ? null : a.message.slice(0, 500),
      SYSTEM_ACTOR,
      a.action,
      a.point.clientId,
      a.slot.attempts,
      JSON.stringify({
        state: result.state,
        receipt: result.receipt,
        nextAttemptAt: result.nextAttemptAt,
        reason: result.reason,
      }),
    ],
  );
  const applied = (r.rowCount ?? 0) > 0;
  if (applied && result.alert) {
    await notify(db, {
      clientId: a.point.clientId,
      event: "dga_failed",
      severity: "critical",
      title:
        result.reason === "wrong_informante"
          ? `DGA rechaza el informante de ${a.point.name}`
          : `Envío DGA fallido en ${a.point.name}`,
      body: `Obra ${a.point.obraCode ?? "?"}, slot ${a.slot.id}: ${result.reason ?? ""}. ${a.message}`.trim(),
      groupKey: `dga:failed:${a.point.id}:${result.reason ?? ""}`,
      payload: { slotId: a.slot.id, pointId: a.point.id, reason: result.reason },
    });
  }
  return applied;
}

/** Nothing was POSTed (configuration or payload problem): back to review with the reason, attempt not counted. */
async function releaseUnsent(
  db: Queryable,
  slot: ClaimedSlot,
  point: DgaPointRow | undefined,
  reason: string,
  message: string,
  cfg: DgaConfig,
): Promise<void> {
  await db.query(
    `WITH upd AS (
       UPDATE dga_slot SET state = 'requires_review', reasons = $3::text[], last_error = $4, attempts = attempts - 1, lease_owner = NULL, lease_until = NULL, updated_at = now()
       WHERE id = $1::bigint AND state = 'sending' AND lease_owner = $2 RETURNING id
     )
     INSERT INTO audit_log (actor_label, action, entity, entity_id, client_id, before, after)
     SELECT $5, 'dga.slot.blocked', 'dga_slot', upd.id::text, $6, '{"state":"sending"}'::jsonb, jsonb_build_object('state', 'requires_review', 'reasons', $3::text[]) FROM upd`,
    [slot.id, cfg.workerId, [reason], message.slice(0, 500), SYSTEM_ACTOR, point?.clientId ?? null],
  );
  if (point) {
    await notify(db, {
      clientId: point.clientId,
      event: "dga_review",
      severity: "critical",
      title: `DGA detenido en ${point.name}: ${reason}`,
      body: `No se envió el slot ${slot.id} de ${point.obraCode ?? point.name}: ${message}`,
      groupKey: `dga:config:${point.id}:${reason}`,
      payload: { slotId: slot.id, pointId: point.id, reason },
      dedupeHours: 24,
    });
  }
}
