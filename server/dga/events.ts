import type pg from "pg";
import { redactSecrets } from "@/domain/redact";
import { SYSTEM_ACTOR } from "./config";

export type Queryable = Pick<pg.Pool | pg.PoolClient, "query">;

const json = (v: unknown) =>
  v === undefined || v === null
    ? null
    : JSON.stringify(redactSecrets(v), (_k, x: unknown) => (typeof x === "bigint" ? x.toString() : x));

/** One AuditLog row written by the pipeline itself (actor "system:dga"). */
export async function auditSlot(
  db: Queryable,
  e: {
    action: string;
    slotId: bigint | string;
    clientId: number | null;
    before?: unknown;
    after?: unknown;
    actor?: string;
  },
): Promise<void> {
  await db.query(
    `INSERT INTO audit_log (actor_label, action, entity, entity_id, client_id, before, after) VALUES ($1, $2, 'dga_slot', $3, $4, $5::jsonb, $6::jsonb)`,
    [e.actor ?? SYSTEM_ACTOR, e.action, String(e.slotId), e.clientId, json(e.before), json(e.after)],
  );
}

/** Names from NOTIFICATION_EVENTS (domain/notifications/events.ts), so clients can subscribe rules to them. */
export type DgaEvent = "dga_failed" | "dga_review" | "dga_rejected" | "dga_late" | "receipt_mismatch";

/**
 * An in-app notification for staff and the client's rules. With dedupeHours, a notification with the
 * same group key created within that window suppresses this one (no alert spam, spec §6.20).
 */
export async function notify(
  db: Queryable,
  n: {
    clientId: number | null;
    event: DgaEvent;
    severity: "info" | "warning" | "critical";
    title: string;
    body: string;
    groupKey: string;
    payload?: unknown;
    dedupeHours?: number;
  },
): Promise<boolean> {
  if (n.dedupeHours) {
    const { rowCount } = await db.query(
      `SELECT 1 FROM notification WHERE group_key = $1 AND created_at > now() - make_interval(hours => $2) LIMIT 1`,
      [n.groupKey, n.dedupeHours],
    );
    if (rowCount) return false;
  }
  await db.query(
    `INSERT INTO notification (client_id, channel, event, severity, title, body, group_key, payload, status) VALUES ($1, 'in_app', $2, $3, $4, $5, $6, $7::jsonb, 'pending')`,
    [n.clientId, n.event, n.severity, n.title, n.body, n.groupKey, json(n.payload ?? {}) ?? "{}"],
  );
  return true;
}
