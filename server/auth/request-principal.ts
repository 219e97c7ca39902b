import type { Principal } from "@/domain/auth/permissions";
import type { Db } from "@/server/db";
import { auth } from "./next-auth";
import { principalForUser } from "./principal";
import { principalFromAuthorization } from "./rest-auth";

/** The portal session's user, checked against the live session version (sessions issued before it carry none: 0). */
export async function principalForSession(
  db: Db,
  user: { id?: string; sv?: unknown } | undefined,
): Promise<Principal | null> {
  if (!user?.id) return null;
  return principalForUser(db, Number(user.id), typeof user.sv === "number" ? user.sv : 0);
}

/** The caller of a route that takes `Authorization: Bearer` or else the portal session cookie. */
export async function principalForRequest(db: Db, req: Request): Promise<Principal | null> {
  const header = req.headers.get("authorization");
  if (header) return principalFromAuthorization(db, header, new Date());
  const session = await auth().catch(() => null);
  return principalForSession(db, session?.user);
}
