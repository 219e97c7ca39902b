"use client";
import { useInfiniteQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/app/providers";
import { formatDateTime } from "@/domain/format";

export default function AuditPage() {
  const trpc = useTRPC();
  const [entity, setEntity] = useState("");
  const q = useInfiniteQuery(
    trpc.audit.list.infiniteQueryOptions(
      { entity: entity || undefined, limit: 50 },
      { initialCursor: undefined, getNextPageParam: (last) => (last.length === 50 ? BigInt(last[last.length - 1]!.id) : undefined) },
    ),
  );
  const rows = q.data?.pages.flat() ?? [];
  return (
    <>
      <div className="topbar">
        <h1>Auditoría</h1>
        <div style={{ minWidth: 240 }}>
          <label htmlFor="entity">Entidad</label>
          <select id="entity" value={entity} onChange={(e) => setEntity(e.target.value)}>
            <option value="">Todas</option>
            {["client", "capture_point", "provider_account", "point_binding", "dga_informante", "user", "api_key", "notification_rule", "dga_slot"].map((e) => <option key={e} value={e}>{e}</option>)}
          </select>
        </div>
      </div>
      {q.error && <p role="alert" className="error">{q.error.message}</p>}
      <table>
        <thead><tr><th>Fecha</th><th>Actor</th><th>Acción</th><th>Entidad</th><th>Cambio</th></tr></thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id} data-testid="audit-row">
              <td>{formatDateTime(r.at, undefined, true)}</td>
              <td>{r.actorLabel}</td>
              <td><code>{r.action}</code></td>
              <td>{r.entity} {r.entityId ? `#${r.entityId}` : ""}</td>
              <td><details><summary>ver</summary><pre style={{ whiteSpace: "pre-wrap", maxWidth: 520 }}>{JSON.stringify({ antes: r.before, despues: r.after }, null, 2)}</pre></details></td>
            </tr>
          ))}
        </tbody>
      </table>
      {q.hasNextPage && <button onClick={() => q.fetchNextPage()} disabled={q.isFetchingNextPage}>Cargar más</button>}
    </>
  );
}
