import type { Principal } from "@/domain/auth/permissions";
import type { Db } from "@/server/db";
import { redactSecrets } from "@/domain/redact";

function json(v: unknown): object | undefined {
  if (v === undefined || v === null) return undefined;
  return JSON.parse(JSON.stringify(redactSecrets(v), (_k, x) => (typeof x === "bigint" ? x.toString() : x))) as object;
}

export async function writeAudit(
  db: Db,
  p: Principal,
  e: {
    action: string;
    entity: string;
    entityId?: string | number | null;
    clientId?: number | null;
    before?: unknown;
    after?: unknown;
  },
): Promise<void> {
  await db.auditLog.create({
    data: {
      actorUserId: p.kind === "user" ? p.id : null,
      actorApiKeyId: p.kind === "apiKey" ? p.id : null,
      actorLabel: p.label,
      action: e.action,
      entity: e.entity,
      entityId: e.entityId == null ? null : String(e.entityId),
      clientId: e.clientId ?? null,
      before: json(e.before),
      after: json(e.after),
    },
  });
}

/**
 * A security event (failed or throttled login, denied access) in the audit log, entity "security".
 * Never carries a tenant: who probed which client is for staff, not for that client's managers.
 */
export async function writeSecurityEvent(
  db: Db,
  e: {
    action: string;
    actorLabel: string;
    actorUserId?: number | null;
    actorApiKeyId?: number | null;
    details: Record<string, unknown>;
  },
): Promise<void> {
  await db.auditLog.create({
    data: {
      actorUserId: e.actorUserId ?? null,
      actorApiKeyId: e.actorApiKeyId ?? null,
      actorLabel: e.actorLabel.slice(0, 200),
      action: e.action,
      entity: "security",
      entityId: null,
      clientId: null,
      after: json(e.details),
    },
  });
}
