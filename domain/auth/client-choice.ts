import type { MemberRole } from "./permissions";

export interface ClientChoiceInput {
  /** ?clientId= from the URL, as written. */
  urlClientId: string | null;
  /** The sh_client cookie, already parsed (null when absent or invalid). */
  cookieClientId: number | null;
  isStaff: boolean;
  memberships: readonly { clientId: number; role: MemberRole }[];
  /** Ids of the clients the user sees, in the switcher's order. */
  visibleClientIds: readonly number[];
}

/**
 * Which client the portal shows: the URL's, then the cookie's, when the user may see it; otherwise
 * all clients for staff (null) or the user's first membership. `effectiveClientId` is the chosen one
 * or, when none is chosen, the first visible client (for pages that need one client).
 * Shared by the browser's scope (components/shell/scope.tsx) and server pages that prefetch per client.
 */
export function chooseClient(i: ClientChoiceInput): { clientId: number | null; effectiveClientId: number | null } {
  const urlId = Number(i.urlClientId);
  const wanted = Number.isInteger(urlId) && urlId > 0 ? urlId : i.cookieClientId;
  const allowed = wanted != null && (i.isStaff || i.memberships.some((m) => m.clientId === wanted));
  const clientId = allowed ? wanted : i.isStaff ? null : (i.memberships[0]?.clientId ?? null);
  return { clientId, effectiveClientId: clientId ?? i.visibleClientIds[0] ?? null };
}

/** The sh_client cookie's value as a client id, or null. */
export function parseClientCookie(v: string | undefined): number | null {
  const n = Number(v);
  return v && Number.isInteger(n) && n > 0 ? n : null;
}
