"use client";
import { useQuery } from "@tanstack/react-query";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { createContext, useCallback, useContext, useMemo } from "react";
import { useTRPC } from "@/trpc/react";
import { chooseClient } from "@/domain/auth/client-choice";
import { can, type MemberRole, type Role, type Scope, type StaffRole } from "@/domain/auth/permissions";

export interface PortalUser {
  name: string;
  email: string;
  staffRole: StaffRole | null;
  memberships: { clientId: number; role: MemberRole }[];
}

interface ScopeValue {
  user: PortalUser;
  isStaff: boolean;
  /** The client chosen in the switcher (URL ?clientId=, then cookie); null = all clients (staff only). */
  clientId: number | null;
  /** The chosen client or, when none is chosen, the first visible one: for pages that need one client. */
  effectiveClientId: number | null;
  clients: { id: number; name: string; modules: string[] }[];
  /** Whether the (effective) client contracted a module: pages skip queries the server would refuse. */
  hasModule: (m: "telemetry" | "dga" | "reports" | "alerts" | "api", clientId?: number | null) => boolean;
  clientsLoading: boolean;
  role: Role | null;
  can: (scope: Scope) => boolean;
  setClientId: (id: number | null) => void;
  /** A portal link that keeps the chosen client. */
  href: (path: string) => string;
}

const Ctx = createContext<ScopeValue | null>(null);

export function useScope(): ScopeValue {
  const v = useContext(Ctx);
  if (!v) throw new Error("useScope outside ScopeProvider");
  return v;
}

export function ScopeProvider({
  user,
  cookieClientId,
  children,
}: {
  user: PortalUser;
  cookieClientId: number | null;
  children: React.ReactNode;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const list = useQuery(trpc.clients.list.queryOptions({}));
  const clients = useMemo(
    () =>
      (list.data ?? []).map((c) => ({
        id: c.id,
        name: c.name,
        modules: c.modules.filter((m) => m.enabled).map((m) => m.module as string),
      })),
    [list.data],
  );
  const isStaff = !!user.staffRole;

  const { clientId, effectiveClientId } = chooseClient({
    urlClientId: params.get("clientId"),
    cookieClientId,
    isStaff,
    memberships: user.memberships,
    visibleClientIds: clients.map((c) => c.id),
  });
  const role: Role | null =
    user.staffRole ??
    user.memberships.find((m) => m.clientId === effectiveClientId)?.role ??
    user.memberships[0]?.role ??
    null;

  const setClientId = useCallback(
    (id: number | null) => {
      document.cookie = id
        ? `sh_client=${id}; path=/; max-age=31536000; samesite=lax`
        : "sh_client=; path=/; max-age=0; samesite=lax";
      // A detail page belongs to one client: switching goes back to its list.
      const base = /^\/points\/\d+/.test(pathname) ? "/points" : pathname;
      const next = new URLSearchParams(params.toString());
      if (id) next.set("clientId", String(id));
      else next.delete("clientId");
      const qs = next.toString();
      router.replace(qs ? `${base}?${qs}` : base);
    },
    [params, pathname, router],
  );

  const href = useCallback(
    (path: string) => (clientId ? `${path}${path.includes("?") ? "&" : "?"}clientId=${clientId}` : path),
    [clientId],
  );

  const hasModule = useCallback(
    (m: string, id?: number | null) => !!clients.find((c) => c.id === (id ?? effectiveClientId))?.modules.includes(m),
    [clients, effectiveClientId],
  );

  const value = useMemo<ScopeValue>(
    () => ({
      user,
      isStaff,
      clientId,
      effectiveClientId,
      clients,
      clientsLoading: list.isLoading,
      role,
      can: (s) => can(role, s),
      setClientId,
      href,
      hasModule,
    }),
    [user, isStaff, clientId, effectiveClientId, clients, list.isLoading, role, setClientId, href, hasModule],
  );
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}
