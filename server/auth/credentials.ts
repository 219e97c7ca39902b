import bcrypt from "bcryptjs";
import { AppError } from "@/domain/errors";
import { loginDelaySec } from "@/domain/auth/login-throttle";
import type { Db } from "@/server/db";
import { env } from "@/server/env";
import { limiters } from "@/server/security/limiters";
import { writeSecurityEvent } from "@/server/services/audit.service";

// Compared against when the user is unknown, so response time does not reveal which accounts exist.
const DUMMY_HASH = bcrypt.hashSync("smarthydro-no-such-user", 10);

const throttled = (ms: number) =>
  new AppError("RATE_LIMITED", "Demasiados intentos fallidos. Intente más tarde.", {
    retryAfterMs: Math.max(ms, 1000),
  });

/**
 * Verifies an email/password pair for the portal and REST alike, throttled the lockout-safe way
 * (domain/auth/login-throttle.ts): per account+IP in a row with a growing pause, and per IP per day.
 * Failures and refusals are recorded as security events.
 */
export async function verifyCredentials(
  prisma: Db,
  rawEmail: string,
  password: string,
  ip: string,
): Promise<{ userId: number; sessionVersion: number }> {
  const email = rawEmail.toLowerCase();
  const l = limiters();
  const pair = `${email}|${ip}`;
  const [ipDay, delay] = await Promise.all([l.loginIpDay.get(ip), l.loginDelay.get(pair)]);
  const wait =
    ipDay && ipDay.consumedPoints >= env().LOGIN_FAILS_PER_IP_DAY
      ? ipDay.msBeforeNext
      : delay && delay.consumedPoints > 1
        ? delay.msBeforeNext
        : 0;
  if (wait > 0) {
    await writeSecurityEvent(prisma, {
      action: "auth.login_throttled",
      actorLabel: email,
      details: { ip, retryAfterSec: Math.ceil(wait / 1000) },
    });
    throw throttled(wait);
  }
  const user = await prisma.user.findUnique({ where: { email } });
  const ok = await bcrypt.compare(password, user?.passwordHash ?? DUMMY_HASH);
  if (!user || !ok || !user.active) {
    const [run] = await Promise.all([l.loginConsecutive.penalty(pair, 1), l.loginIpDay.penalty(ip, 1)]);
    const pause = loginDelaySec(run.consumedPoints, env().LOGIN_CONSECUTIVE_FAILS);
    if (pause > 0) await l.loginDelay.block(pair, pause);
    await writeSecurityEvent(prisma, {
      action: "auth.login_failed",
      actorLabel: email,
      actorUserId: user?.id ?? null,
      details: { ip, consecutiveFailures: run.consumedPoints, pauseSec: pause },
    });
    throw new AppError("UNAUTHENTICATED", "Correo o contraseña incorrectos");
  }
  await Promise.all([l.loginConsecutive.delete(pair), l.loginDelay.delete(pair)]);
  await prisma.user.update({ where: { id: user.id }, data: { lastLoginAt: new Date() } });
  return { userId: user.id, sessionVersion: user.sessionVersion };
}
