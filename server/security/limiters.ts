import { RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import type { Redis } from "ioredis";
import { AppError } from "@/domain/errors";
import { env } from "@/server/env";
import { getRedis } from "@/server/redis";

type Limiters = ReturnType<typeof build>;
const cache = new WeakMap<Redis, Limiters>();

function build(redis: Redis) {
  const e = env();
  const mk = (name: string, points: number, duration: number, blockDuration = 0) =>
    new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `${e.REDIS_NAMESPACE}:rl:${name}`,
      points,
      duration,
      blockDuration,
    });
  return {
    /** Failed logins in a row for one account from one IP (reset by a success). */
    loginConsecutive: mk("login-userip", e.LOGIN_CONSECUTIVE_FAILS, 24 * 3600),
    /** The progressive pause of that pair: blocked for the policy's delay after a failure. */
    loginDelay: mk("login-delay", 1, 1),
    /** Failed logins per IP per day, whatever the account. */
    loginIpDay: mk("login-ip-day", e.LOGIN_FAILS_PER_IP_DAY, 24 * 3600, 24 * 3600),
    api: mk("api", e.API_RATE_PER_MIN, 60),
    reports: mk("reports", e.REPORTS_PER_HOUR, 3600),
  };
}

/** The limiters on the shared Redis connection (rebuilt when it is). */
export function limiters(): Limiters {
  const redis = getRedis();
  let l = cache.get(redis);
  if (!l) cache.set(redis, (l = build(redis)));
  return l;
}

/** Takes one point or throws RATE_LIMITED with the wait. */
export async function consumeOrThrow(limiter: RateLimiterRedis, key: string, message: string): Promise<void> {
  try {
    await limiter.consume(key, 1);
  } catch (e) {
    if (e instanceof RateLimiterRes)
      throw new AppError("RATE_LIMITED", message, { retryAfterMs: Math.max(e.msBeforeNext, 1000) });
    throw e;
  }
}

/** Who a per-caller limit counts: the user or the API key. */
export const callerKey = (p: { kind: string; id: number }) => `${p.kind}:${p.id}`;
