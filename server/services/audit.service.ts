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
  e: { action: string; entity: string; entityId?: string | number | null; clientId?: number | null; before?: unknown; after?: unknown },
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
