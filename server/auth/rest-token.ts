import { SignJWT, jwtVerify } from "jose";
import { env } from "@/server/env";

const ISSUER = "smarthydro";
const AUDIENCE = "smarthydro-api";

function secret(): Uint8Array {
  return new TextEncoder().encode(env().AUTH_SECRET);
}

/** Short-lived REST token. sub is "user:<id>" or "apikey:<id>"; sv is a user's session version when issued. */
export async function issueRestToken(
  sub: string,
  now: Date,
  ttlSec = env().REST_TOKEN_TTL_SEC,
  sv?: number,
): Promise<{ token: string; expiresAt: Date }> {
  const iat = Math.floor(now.getTime() / 1000);
  const token = await new SignJWT(sv === undefined ? {} : { sv })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(sub)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(iat)
    .setExpirationTime(iat + ttlSec)
    .sign(secret());
  return { token, expiresAt: new Date((iat + ttlSec) * 1000) };
}

export async function verifyRestToken(token: string, now: Date): Promise<{ sub: string; sv: number } | null> {
  try {
    const { payload } = await jwtVerify(token, secret(), {
      issuer: ISSUER,
      audience: AUDIENCE,
      currentDate: now,
      algorithms: ["HS256"],
    });
    return payload.sub ? { sub: payload.sub, sv: typeof payload.sv === "number" ? payload.sv : 0 } : null;
  } catch {
    return null;
  }
}
