import type { Principal } from "@/domain/auth/permissions";
import { getDb, type Db } from "@/server/db";
import { auth } from "./next-auth";
import { principalForUser } from "./principal";
import { principalFromAuthorization } from "./rest-auth";

type SessionUser = { id?: string; sv?: unknown };

/** The portal session's user, checked against the live session version (sessions issued before it carry none: 0). */
export async function principalForSession(prisma: Db, user: SessionUser | undefined): Promise<Principal | null> {
  if (!user?.id) return null;
  return principalForUser(prisma, Number(user.id), typeof user.sv === "number" ? user.sv : 0);
}

export interface RequestPrincipalDeps {
  prisma?: Db;
  now?: Date;
  /** The portal session (next-auth's `auth()` by default; tests pass their own). */
  readSession?: () => Promise<{ user?: SessionUser } | null>;
}

/**
 * The caller of a route that accepts both a Bearer token / API key and the portal session cookie
 * (tRPC, report downloads, the realtime stream). REST under /api/v1 takes Bearer only (rest.ts).
 *
 * Bearer first, and a Bearer that fails is final (null), never a fall-back to the cookie:
 * - the header is an explicit choice made for this one request, the cookie is ambient (the browser
 *   attaches it to every request) — when both are present the explicit one says who is calling;
 * - an integration with a revoked or expired key must get 401, not silently act as whoever happens to be
 *   signed in to the portal in the same browser;
 * - a cookie-first order would let a page's session override the narrower scopes of an API key.
 * Only the `Bearer` scheme counts as a claim: another scheme (`Basic` from a proxy in front of a staging
 * portal) is not ours to judge, so the session decides.
 */
export async function principalFromRequest(req: Request, deps: RequestPrincipalDeps = {}): Promise<Principal | null> {
  const prisma = deps.prisma ?? getDb();
  const header = req.headers.get("authorization");
  if (header && /^Bearer(\s|$)/i.test(header.trim()))
    return principalFromAuthorization(prisma, header.trim(), deps.now ?? new Date());
  const readSession = deps.readSession ?? (() => auth());
  const session = await readSession().catch(() => null);
  return principalForSession(prisma, session?.user);
}
