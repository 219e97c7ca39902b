import type { Principal, Scope } from "@/domain/auth/permissions";
import type { Db } from "@/server/db";
import { sha256 } from "@/server/crypto";

/**
 * Loads the live roles of a user; null when the user is gone or disabled, or when the session or
 * token was issued under an older session version (sign-out and password change bump it), so all
 * of these revoke at once.
 */
export async function principalForUser(prisma: Db, userId: number, sessionVersion?: number): Promise<Principal | null> {
  if (!Number.isSafeInteger(userId)) return null;
  const u = await prisma.user.findUnique({ where: { id: userId }, include: { memberships: true } });
  if (!u || !u.active) return null;
  if (sessionVersion !== undefined && u.sessionVersion !== sessionVersion) return null;
  return {
    kind: "user",
    id: u.id,
    label: u.email,
    staffRole: u.staffRole,
    memberships: u.memberships.map((m) => ({ clientId: m.clientId, role: m.role })),
  };
}

export async function principalForApiKey(prisma: Db, key: string, now: Date): Promise<Principal | null> {
  const k = await prisma.apiKey.findUnique({ where: { hash: sha256(key) } });
  if (!k || k.revokedAt || (k.expiresAt && k.expiresAt <= now)) return null;
  // lastUsedAt is advisory; at most one write a minute per key.
  if (!k.lastUsedAt || now.getTime() - k.lastUsedAt.getTime() > 60_000) {
    await prisma.apiKey.update({ where: { id: k.id }, data: { lastUsedAt: now } }).catch(() => {});
  }
  return {
    kind: "apiKey",
    id: k.id,
    label: `apikey:${k.prefix}`,
    staffRole: null,
    memberships: [],
    apiKeyScopes: k.scopes as Scope[],
    apiKeyClientId: k.clientId,
  };
}
