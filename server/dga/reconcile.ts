import { classifyResponse, type DgaOutcome } from "@/domain/dga/response";
import { afterAttempt } from "@/domain/dga/retry";
import type { DgaConfig } from "./config";
import type { Queryable } from "./events";
import { loadPoints } from "./points";
import { applyAttemptResult } from "./submit";

interface StuckSlot {
  id: string;
  pointId: number;
  attempts: number;
  leaseOwner: string | null;
}
interface AttemptRow {
  outcome: string;
  receipt: string | null;
  httpStatus: number | null;
  response: string | null;
}

/**
 * What the attempt log says happened to a slot whose lease expired. A stored receipt always wins
 * (never resend what MEE has); a POST without a recorded answer is "no answer" → next-day retry, where
 * MEE's duplicate answer hands back the original receipt.
 */
function outcomeFromLog(attempts: number, log: readonly AttemptRow[]): DgaOutcome {
  const stored = log.find((a) => (a.outcome === "sent" || a.outcome === "duplicate") && a.receipt);
  if (stored) return { kind: "sent", receipt: stored.receipt!, message: "recovered from attempt log" };
  if (log.some((a) => a.outcome === "sent_no_receipt" || a.outcome === "duplicate"))
    return { kind: "sent_no_receipt", message: "recovered from attempt log" };
  const current = log.length >= attempts ? log[log.length - 1] : undefined;
  if (!current)
    return {
      kind: "unknown",
      reason: "no_response",
      httpStatus: null,
      message: "lease expired with no recorded answer",
    };
  return classifyResponse({ httpStatus: current.httpStatus, bodyText: current.response });
}

/** Recovers slots stuck in "sending" past their lease: audit log first, then the state. */
export async function reconcileLeases(
  db: Queryable,
  now: Date,
  cfg: DgaConfig,
): Promise<{ recovered: number; byState: Record<string, number> }> {
  const { rows } = await db.query<StuckSlot>(
    `SELECT id::text AS id, point_id AS "pointId", attempts, lease_owner AS "leaseOwner" FROM dga_slot WHERE state = 'sending' AND lease_until < $1 ORDER BY id LIMIT 1000`,
    [now],
  );
  const points = await loadPoints(
    db,
    rows.map((r) => r.pointId),
  );
  const byState: Record<string, number> = {};
  let recovered = 0;
  for (const slot of rows) {
    const point = points.get(slot.pointId);
    if (!point) continue;
    const log = await db.query<AttemptRow>(
      `SELECT outcome, receipt, http_status AS "httpStatus", response FROM dga_attempt WHERE slot_id = $1::bigint ORDER BY id`,
      [slot.id],
    );
    const outcome = outcomeFromLog(slot.attempts, log.rows);
    const result = afterAttempt(outcome, { attempts: slot.attempts, now, policy: cfg.retryPolicy });
    const applied = await applyAttemptResult(db, {
      slot,
      point,
      result,
      message: outcome.message,
      leaseOwner: slot.leaseOwner,
      now,
      action: "dga.slot.recover",
    });
    if (applied) {
      recovered += 1;
      byState[result.state] = (byState[result.state] ?? 0) + 1;
    }
  }
  return { recovered, byState };
}
