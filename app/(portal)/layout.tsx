import { cookies } from "next/headers";
import { Suspense } from "react";
import { HydrationBoundary, dehydrate } from "@tanstack/react-query";
import { parseClientCookie } from "@/domain/auth/client-choice";
import { getDb } from "@/server/db";
import { getQueryClient, portalPrincipal, serverTrpc } from "@/server/trpc/server";
import { Shell } from "@/components/shell/shell";

export const dynamic = "force-dynamic";

export default async function PortalLayout({ children }: { children: React.ReactNode }) {
  const p = await portalPrincipal();
  const jar = await cookies();
  const trpc = await serverTrpc();
  // The client list (switcher, modules, roles) is in the first HTML: no page waits for it from the browser.
  const [user] = await Promise.all([
    getDb().user.findUnique({ where: { id: p.id }, select: { name: true, email: true } }),
    getQueryClient().prefetchQuery(trpc.clients.list.queryOptions({})),
  ]);
  return (
    <HydrationBoundary state={dehydrate(getQueryClient())}>
      <Suspense fallback={<p role="status">Cargando…</p>}>
        <Shell
          user={{
            name: user?.name ?? p.label,
            email: user?.email ?? p.label,
            staffRole: p.staffRole,
            memberships: p.memberships,
          }}
          cookieClientId={parseClientCookie(jar.get("sh_client")?.value)}
          theme={jar.get("sh_theme")?.value === "dark" ? "dark" : "light"}
        >
          {children}
        </Shell>
      </Suspense>
    </HydrationBoundary>
  );
}
