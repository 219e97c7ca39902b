import type { Principal } from "@/domain/auth/permissions";
import type { Db } from "@/server/db";
import { principalForApiKey, principalForUser } from "./principal";
import { verifyRestToken } from "./rest-token";
import { sha256 } from "@/server/crypto";

/** Resolves `Authorization: Bearer <jwt | api key>` to a principal, or null. */
export async function principalFromAuthorization(
  prisma: Db,
  header: string | null,
  now: Date,
): Promise<Principal | null> {
  const m = /^Bearer\s+(.+)$/i.exec(header ?? "");
  if (!m) return null;
  const token = m[1]!.trim();
  if (token.startsWith("shk_")) return principalForApiKey(prisma, token, now);
  const verified = await verifyRestToken(token, now);
  if (!verified) return null;
  const [kind, id] = verified.sub.split(":");
  if (kind === "user") return principalForUser(prisma, Number(id), verified.sv);
  if (kind === "apikey") {
    const k = await prisma.apiKey.findUnique({ where: { id: Number(id) } });
    // A token minted from an API key dies with the key.
    return k && !k.revokedAt && (!k.expiresAt || k.expiresAt > now) ? principalForApiKeyRow(k) : null;
  }
  return null;
}

function principalForApiKeyRow(k: {
  id: number;
  prefix: string;
  scopes: string[];
  clientId: number | null;
}): Principal {
  return {
    kind: "apiKey",
    id: k.id,
    label: `apikey:${k.prefix}`,
    staffRole: null,
    memberships: [],
    apiKeyScopes: k.scopes as Principal["apiKeyScopes"],
    apiKeyClientId: k.clientId,
  };
}

export async function apiKeyIdForSecret(prisma: Db, key: string): Promise<number | null> {
  const k = await prisma.apiKey.findUnique({ where: { hash: sha256(key) }, select: { id: true, revokedAt: true } });
  return k && !k.revokedAt ? k.id : null;
}
