import { cookies } from "next/headers";
import { Suspense } from "react";
import { requirePortalPrincipal } from "@/server/auth/session";
import { getDb } from "@/server/db";
import { Shell } from "@/components/shell/shell";

export const dynamic = "force-dynamic";

export default async function PortalLayout({ children }: { children: React.ReactNode }) {
  const p = await requirePortalPrincipal();
  const jar = await cookies();
  const user = await getDb().user.findUnique({ where: { id: p.id }, select: { name: true, email: true } });
  const cookieClient = Number(jar.get("sh_client")?.value);
  return (
    <Suspense fallback={<p role="status">Cargando…</p>}>
      <Shell
        user={{ name: user?.name ?? p.label, email: user?.email ?? p.label, staffRole: p.staffRole, memberships: p.memberships }}
        cookieClientId={Number.isInteger(cookieClient) && cookieClient > 0 ? cookieClient : null}
        theme={jar.get("sh_theme")?.value === "dark" ? "dark" : "light"}
      >
        {children}
      </Shell>
    </Suspense>
  );
}
