import { decryptSecret, encryptSecret } from "@/server/crypto";
import { getRedis } from "@/server/redis";
import { queuePrefix } from "@/server/queues/connection";
import type { AuthState } from "./types";

/** Refresh a little before expiry so a token never dies mid-walk. */
const EARLY_MS = 5_000;
const key = (accountId: number) => `${queuePrefix()}:provider-token:${accountId}`;

/**
 * One login per token lifetime per account, shared by every worker through Redis (§4.5). `force`
 * (after a 401) discards the cached token first. Tokens are stored encrypted.
 */
export async function cachedAuth(accountId: number, login: () => Promise<AuthState>, force = false, now: () => number = Date.now): Promise<AuthState> {
  const redis = getRedis();
  if (!force) {
    const hit = await redis.get(key(accountId));
    if (hit) {
      const s = JSON.parse(decryptSecret(hit)) as { token: string; expiresAt: string | null };
      const exp = s.expiresAt ? new Date(s.expiresAt) : null;
      if (!exp || exp.getTime() - EARLY_MS > now()) return { token: s.token, expiresAt: exp };
    }
  }
  const fresh = await login();
  const ttlMs = fresh.expiresAt ? fresh.expiresAt.getTime() - now() - EARLY_MS : 3_600_000;
  if (ttlMs > 0) await redis.set(key(accountId), encryptSecret(JSON.stringify({ token: fresh.token, expiresAt: fresh.expiresAt?.toISOString() ?? null })), "PX", ttlMs);
  else await redis.del(key(accountId));
  return fresh;
}

export async function forgetAuth(accountId: number): Promise<void> {
  await getRedis().del(key(accountId));
}
