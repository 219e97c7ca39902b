import { requirePortalPrincipal } from "@/server/auth/session";
import { Nav } from "@/components/nav";

export const dynamic = "force-dynamic";

export default async function PortalLayout({ children }: { children: React.ReactNode }) {
  const p = await requirePortalPrincipal();
  const role = p.staffRole ?? p.memberships[0]?.role ?? null;
  return (
    <div className="shell">
      <Nav role={role} label={p.label} />
      <main className="main">{children}</main>
    </div>
  );
}
