import { randomUUID } from "node:crypto";
import { AppError } from "@/domain/errors";
import { env } from "@/server/env";
import { getRedis } from "@/server/redis";

/** A slot lives this long unless its stream's heartbeat renews it, so a crashed process frees its slots. */
const SLOT_TTL_MS = 60_000;

// Drops expired slots, then takes one if fewer than the limit are held: atomically, so two opens cannot both pass.
const ACQUIRE = `redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return 1`;

export interface StreamSlot {
  renew(): void;
  release(): void;
}

/** Reserves one of the caller's SSE_MAX_STREAMS concurrent realtime streams, or RATE_LIMITED. */
export async function acquireStreamSlot(caller: string, now = Date.now()): Promise<StreamSlot> {
  const e = env();
  const key = `${e.REDIS_NAMESPACE}:sse:slots:${caller}`;
  const id = randomUUID();
  const redis = getRedis();
  const ok = await redis.eval(
    ACQUIRE,
    1,
    key,
    String(now),
    String(now + SLOT_TTL_MS),
    String(e.SSE_MAX_STREAMS),
    id,
    String(SLOT_TTL_MS * 2),
  );
  if (ok !== 1)
    throw new AppError("RATE_LIMITED", `Demasiadas conexiones en tiempo real abiertas (máximo ${e.SSE_MAX_STREAMS})`, {
      retryAfterMs: 15_000,
    });
  return {
    renew: () =>
      void redis
        .multi()
        .zadd(key, String(Date.now() + SLOT_TTL_MS), id)
        .pexpire(key, SLOT_TTL_MS * 2)
        .exec()
        .catch(() => {}),
    release: () => void redis.zrem(key, id).catch(() => {}),
  };
}
