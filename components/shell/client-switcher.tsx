"use client";
import { useScope } from "./scope";
import { ClientOptions } from "@/components/ui/client-options";

/** Staff choose any client (or all); members with several memberships choose among theirs. */
export function ClientSwitcher() {
  const { clients, clientId, isStaff, setClientId, clientsLoading } = useScope();
  if (!isStaff && clients.length <= 1) {
    return (
      <strong className="client-name" data-testid="current-client">
        {clients[0]?.name ?? (clientsLoading ? "Cargando…" : "")}
      </strong>
    );
  }
  return (
    <div className="row" style={{ gap: ".4rem" }}>
      <label htmlFor="client-switcher" className="hide-sm" style={{ margin: 0 }}>
        Cliente
      </label>
      <select
        id="client-switcher"
        aria-label="Cliente"
        value={clientId ?? ""}
        onChange={(e) => setClientId(e.target.value ? Number(e.target.value) : null)}
        data-testid="client-switcher"
      >
        {isStaff && <option value="">Todos los clientes</option>}
        <ClientOptions clients={clients} />
      </select>
    </div>
  );
}
