import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { decryptSecret, encryptSecret } from "@/server/crypto";
import { getRedis } from "@/server/redis";
import { queuePrefix } from "@/server/queues/connection";
import type { AuthState } from "./types";

/** Refresh a little before expiry so a token never dies mid-walk. */
const EARLY_MS = 5_000;
/** Longest a login may hold the per-account lock; waiters give up and log in themselves after it. */
const LOCK_MS = 15_000;
const WAIT_STEP_MS = 100;
const key = (accountId: number) => `${queuePrefix()}:provider-token:${accountId}`;
const lockKey = (accountId: number) => `${queuePrefix()}:provider-token-lock:${accountId}`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

const inFlight = new Map<number, Promise<AuthState>>();

async function readToken(accountId: number, now: () => number): Promise<AuthState | null> {
  const hit = await getRedis().get(key(accountId));
  if (!hit) return null;
  const s = JSON.parse(decryptSecret(hit)) as { token: string; expiresAt: string | null };
  const exp = s.expiresAt ? new Date(s.expiresAt) : null;
  return !exp || exp.getTime() - EARLY_MS > now() ? { token: s.token, expiresAt: exp } : null;
}

/**
 * One login per token lifetime per account, shared by every worker through Redis (providers.md §4.5):
 * jobs of one process share one login in flight, and processes take a per-account lock so the others
 * wait for the token it stores instead of logging in at the same moment (T.Data may revoke the previous
 * JWT on a new login). `force` (after a 401) discards the cached token first. Tokens are stored encrypted.
 */
export async function cachedAuth(
  accountId: number,
  login: () => Promise<AuthState>,
  force = false,
  now: () => number = Date.now,
): Promise<AuthState> {
  if (!force) {
    const hit = await readToken(accountId, now);
    if (hit) return hit;
  }
  const running = inFlight.get(accountId);
  if (running) return running;
  const p = refresh(accountId, login, force, now).finally(() => inFlight.delete(accountId));
  inFlight.set(accountId, p);
  return p;
}

async function refresh(
  accountId: number,
  login: () => Promise<AuthState>,
  force: boolean,
  now: () => number,
): Promise<AuthState> {
  const redis = getRedis();
  // Dropped before waiting, so a waiter never picks up the token that just answered 401.
  if (force) await redis.del(key(accountId));
  const owner = randomUUID();
  const locked = (await redis.set(lockKey(accountId), owner, "PX", LOCK_MS, "NX")) === "OK";
  if (!locked) {
    const until = Date.now() + LOCK_MS;
    while (Date.now() < until) {
      await sleep(WAIT_STEP_MS);
      const hit = await readToken(accountId, now);
      if (hit) return hit;
      if (!(await redis.exists(lockKey(accountId)))) break;
    }
  }
  try {
    const fresh = await login();
    const ttlMs = fresh.expiresAt ? fresh.expiresAt.getTime() - now() - EARLY_MS : 3_600_000;
    if (ttlMs > 0)
      await redis.set(
        key(accountId),
        encryptSecret(JSON.stringify({ token: fresh.token, expiresAt: fresh.expiresAt?.toISOString() ?? null })),
        "PX",
        ttlMs,
      );
    else await redis.del(key(accountId));
    return fresh;
  } finally {
    if (locked) await redis.eval(RELEASE, 1, lockKey(accountId), owner);
  }
}

export async function forgetAuth(accountId: number): Promise<void> {
  await getRedis().del(key(accountId));
}
