"use client";
import { usePathname } from "next/navigation";
import { PageHeader } from "@/components/ui/page";
import { useScope } from "./scope";

/** A view that needs one client: say so and offer the choice instead of silently showing the first one. */
export function PickClient({ what }: { what: string }) {
  const { clients, setClientId } = useScope();
  return (
    <div className="notice" role="status" data-testid="pick-client">
      <p style={{ marginTop: 0 }}>
        {what} se muestra de un cliente a la vez. Está viendo «Todos los clientes»: elija uno.
      </p>
      <div className="row">
        {clients.map((c) => (
          <button key={c.id} type="button" className="secondary small" onClick={() => setClientId(c.id)}>
            {c.name}
          </button>
        ))}
      </div>
    </div>
  );
}

/** Pages that show one client at a time (their reads take a clientId), by path prefix. */
const ONE_CLIENT: { prefix: string; title: string; what: string }[] = [
  { prefix: "/alerts", title: "Alertas", what: "La bandeja de alertas" },
  { prefix: "/reports", title: "Reportes", what: "La lista de reportes" },
  { prefix: "/admin/informantes", title: "Informantes DGA", what: "La lista de informantes" },
];

/**
 * Staff on "Todos los clientes" opening a one-client page get the choice, never the first client
 * passed off as "all" (issue #19).
 */
export function OneClientGate({ children }: { children: React.ReactNode }) {
  const path = usePathname();
  const { isStaff, clientId, clientsLoading } = useScope();
  const page = ONE_CLIENT.find((p) => path === p.prefix || path.startsWith(`${p.prefix}/`));
  if (!page || !isStaff || clientId != null || clientsLoading) return <>{children}</>;
  return (
    <>
      <PageHeader title={page.title} subtitle="Todos los clientes" />
      <PickClient what={page.what} />
    </>
  );
}
