"use client";
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
