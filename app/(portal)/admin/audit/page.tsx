"use client";
import { useInfiniteQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/trpc/react";
import { useScope } from "@/components/shell/scope";
import { PageHeader, RequireScope } from "@/components/ui/page";
import { ErrorMsg, Loading } from "@/components/ui/states";
import { formatDateTime } from "@/domain/format";
import { auditActionLabel } from "@/domain/i18n/labels";

const ENTITIES: Record<string, string> = {
  client: "Cliente",
  client_module: "Módulos",
  capture_point: "Punto",
  provider_account: "Cuenta de proveedor",
  point_binding: "Vinculación",
  dga_informante: "Informante DGA",
  user: "Usuario",
  api_key: "Clave de API",
  notification_rule: "Regla de notificación",
  notification: "Notificación",
  dga_slot: "Reporte DGA",
  dga_cycle: "Ciclo DGA",
  anomaly: "Alerta",
  collect: "Recolección",
  report: "Reporte",
};

function Audit() {
  const trpc = useTRPC();
  const { clientId, clients } = useScope();
  const [entity, setEntity] = useState("");
  const q = useInfiniteQuery(
    trpc.audit.list.infiniteQueryOptions(
      { entity: entity || undefined, clientId: clientId ?? undefined, limit: 50 },
      {
        initialCursor: undefined,
        getNextPageParam: (last) => (last.length === 50 ? BigInt(last[last.length - 1]!.id) : undefined),
      },
    ),
  );
  const rows = q.data?.pages.flat() ?? [];
  return (
    <>
      <PageHeader
        title="Auditoría"
        subtitle={
          clientId
            ? `Cambios de ${clients.find((c) => c.id === clientId)?.name ?? ""}`
            : "Todos los cambios de la plataforma"
        }
      >
        <div style={{ minWidth: 240 }}>
          <label htmlFor="entity">Entidad</label>
          <select id="entity" value={entity} onChange={(e) => setEntity(e.target.value)}>
            <option value="">Todas</option>
            {Object.entries(ENTITIES).map(([k, v]) => (
              <option key={k} value={k}>
                {v}
              </option>
            ))}
          </select>
        </div>
      </PageHeader>
      <ErrorMsg error={q.error} />
      {q.isLoading ? (
        <Loading what="auditoría" />
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th>Fecha</th>
                <th>Actor</th>
                <th>Acción</th>
                <th>Entidad</th>
                <th>Cambio</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id} data-testid="audit-row">
                  <td className="nowrap">{formatDateTime(r.at, undefined, true)}</td>
                  <td>{r.actorLabel}</td>
                  <td title={r.action}>{auditActionLabel(r.action)}</td>
                  <td>
                    {ENTITIES[r.entity] ?? r.entity} {r.entityId ? `#${r.entityId}` : ""}
                  </td>
                  <td>
                    <details>
                      <summary>Ver antes y después</summary>
                      <pre className="small" style={{ whiteSpace: "pre-wrap", maxWidth: 520, overflowX: "auto" }}>
                        {JSON.stringify({ antes: r.before, despues: r.after }, null, 2)}
                      </pre>
                    </details>
                  </td>
                </tr>
              ))}
              {rows.length === 0 && (
                <tr>
                  <td colSpan={5}>Sin registros.</td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      )}
      {q.hasNextPage && (
        <button className="section" onClick={() => q.fetchNextPage()} disabled={q.isFetchingNextPage}>
          {q.isFetchingNextPage ? "Cargando…" : "Cargar más"}
        </button>
      )}
    </>
  );
}

export default function AuditPage() {
  return (
    <RequireScope scope="audit:read" staff>
      <Audit />
    </RequireScope>
  );
}
