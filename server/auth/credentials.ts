import bcrypt from "bcryptjs";
import { AppError } from "@/domain/errors";
import type { Db } from "@/server/db";
import { getRedis } from "@/server/redis";
import { env } from "@/server/env";

// Compared against when the user is unknown, so response time does not reveal which accounts exist.
const DUMMY_HASH = bcrypt.hashSync("smarthydro-no-such-user", 10);

/**
 * Verifies an email/password pair with a per-account and per-IP throttle (Redis counters), so a
 * brute force is stopped whichever of the two it varies.
 */
export async function verifyCredentials(db: Db, email: string, password: string, ip: string): Promise<{ userId: number }> {
  const e = env();
  const redis = getRedis();
  const keys = [`${e.QUEUE_PREFIX}:login:fail:user:${email.toLowerCase()}`, `${e.QUEUE_PREFIX}:login:fail:ip:${ip}`];
  const counts = await redis.mget(...keys);
  const limits = [e.LOGIN_MAX_ATTEMPTS, e.LOGIN_MAX_ATTEMPTS * 4];
  for (let i = 0; i < keys.length; i++) {
    if (Number(counts[i] ?? 0) >= limits[i]!) {
      const ttl = await redis.ttl(keys[i]!);
      throw new AppError("RATE_LIMITED", "Demasiados intentos fallidos. Intente más tarde.", { retryAfterMs: Math.max(ttl, 1) * 1000 });
    }
  }
  const user = await db.user.findUnique({ where: { email: email.toLowerCase() } });
  const ok = await bcrypt.compare(password, user?.passwordHash ?? DUMMY_HASH);
  if (!user || !ok || !user.active) {
    const m = redis.multi();
    for (const k of keys) m.incr(k).expire(k, e.LOGIN_WINDOW_SEC, "NX");
    await m.exec();
    throw new AppError("UNAUTHENTICATED", "Correo o contraseña incorrectos");
  }
  await redis.del(keys[0]!);
  await db.user.update({ where: { id: user.id }, data: { lastLoginAt: new Date() } });
  return { userId: user.id };
}
