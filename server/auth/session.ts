import { redirect } from "next/navigation";
import type { Principal } from "@/domain/auth/permissions";
import { getDb } from "@/server/db";
import { auth } from "./next-auth";
import { principalForSession } from "./request-principal";

/** For server components of the portal: the signed-in principal, or a redirect to /login. */
export async function requirePortalPrincipal(): Promise<Principal> {
  const session = await auth();
  const p = await principalForSession(getDb(), session?.user);
  if (!p) redirect("/login");
  return p;
}
