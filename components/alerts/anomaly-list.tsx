"use client";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { useTRPC } from "@/trpc/react";
import { useScope } from "@/components/shell/scope";
import { pollInterval } from "@/components/live/live";
import { ErrorMsg, Loading } from "@/components/ui/states";
import { formatDateTime } from "@/domain/format";
import { ANOMALY_PAGE, anomaliesInput, type AnomalyStateFilter } from "./queries";
import { STATE_LABEL, SEVERITY_BADGE, SEVERITY_LABEL, anomalyLabel } from "./labels";
import { ActionsTh } from "@/components/ui/table-actions";

type State = Exclude<AnomalyStateFilter, "">;
const PAGE = ANOMALY_PAGE;

/**
 * Anomalies of a client (or one point), or of every client the user may see when clientId is null (staff
 * "Todos los clientes", with a Cliente column), with acknowledge and resolve for roles with alerts:ack (the server
 * checks each alert's client).
 */
export function AnomalyList({
  clientId,
  pointId,
  live = false,
}: {
  clientId: number | null;
  pointId?: number;
  live?: boolean;
}) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const { can, href } = useScope();
  const [state, setState] = useState<State | "">("open");
  const [offset, setOffset] = useState(0);
  const q = useQuery({
    ...trpc.analytics.anomalies.queryOptions(anomaliesInput(clientId, { pointId, state, offset })),
    placeholderData: keepPreviousData,
    refetchInterval: pollInterval(live),
  });
  const done = () => qc.invalidateQueries({ queryKey: trpc.analytics.pathKey() });
  const ack = useMutation(trpc.analytics.ackAnomaly.mutationOptions({ onSuccess: done }));
  const resolve = useMutation(trpc.analytics.resolveAnomaly.mutationOptions({ onSuccess: done }));
  const canAck = can("alerts:ack");
  const allClients = clientId == null && !pointId;
  const columns = 5 + (pointId ? 0 : 1) + (allClients ? 1 : 0) + (canAck ? 1 : 0);
  return (
    <div className="stack">
      <div className="row">
        <label htmlFor={`an-state-${pointId ?? "all"}`} style={{ margin: 0 }}>
          Estado
        </label>
        <select
          id={`an-state-${pointId ?? "all"}`}
          style={{ width: "auto" }}
          value={state}
          onChange={(e) => {
            setState(e.target.value as State | "");
            setOffset(0);
          }}
        >
          <option value="open">Abiertas</option>
          <option value="acknowledged">Reconocidas</option>
          <option value="resolved">Resueltas</option>
          <option value="">Todas</option>
        </select>
        {q.data && (
          <span className="muted small">
            {q.data.total} {q.data.total === 1 ? "alerta" : "alertas"}
          </span>
        )}
      </div>
      <ErrorMsg error={q.error ?? ack.error ?? resolve.error} />
      {q.isLoading ? (
        <Loading what="alertas" />
      ) : (
        <div className="table-wrap">
          <table className="cards-sm">
            <thead>
              <tr>
                <th>Severidad</th>
                <th>Alerta</th>
                {allClients && <th>Cliente</th>}
                {!pointId && <th>Punto</th>}
                <th>Desde</th>
                <th>Última vez</th>
                <th>Estado</th>
                {canAck && <ActionsTh />}
              </tr>
            </thead>
            <tbody>
              {q.data?.items.map((a) => (
                <tr key={a.id} data-testid="anomaly-row">
                  <td>
                    <span className={`badge ${SEVERITY_BADGE[a.severity] ?? ""}`}>
                      {SEVERITY_LABEL[a.severity] ?? a.severity}
                    </span>
                  </td>
                  <td>
                    <strong>{anomalyLabel(a.type)}</strong>
                    <div className="small muted">
                      {a.reason}
                      {a.count > 1 ? ` · ${a.count} veces` : ""}
                    </div>
                  </td>
                  {allClients && (
                    <td data-label="Cliente" data-testid="anomaly-client">
                      {a.client.name}
                    </td>
                  )}
                  {!pointId && (
                    <td data-label="Punto">
                      <Link prefetch={false} href={href(`/points/${a.pointId}`)}>
                        {a.point.name}
                      </Link>
                    </td>
                  )}
                  <td className="nowrap" data-label="Desde">
                    {formatDateTime(a.startedAt)}
                  </td>
                  <td className="nowrap" data-label="Última vez">
                    {formatDateTime(a.lastSeenAt)}
                  </td>
                  <td data-label="Estado">
                    <span
                      className={`badge ${a.state === "open" ? "bad" : a.state === "acknowledged" ? "warn" : "ok"}`}
                      data-testid="anomaly-state"
                    >
                      {STATE_LABEL[a.state] ?? a.state}
                    </span>
                  </td>
                  {canAck && (
                    <td className="nowrap">
                      {a.state === "open" && (
                        <button
                          className="secondary small"
                          onClick={() => ack.mutate({ id: a.id })}
                          disabled={ack.isPending}
                        >
                          Reconocer
                        </button>
                      )}{" "}
                      {a.state !== "resolved" && (
                        <button
                          className="small"
                          onClick={() => resolve.mutate({ id: a.id })}
                          disabled={resolve.isPending}
                        >
                          Resolver
                        </button>
                      )}
                    </td>
                  )}
                </tr>
              ))}
              {q.data?.items.length === 0 && (
                <tr>
                  <td colSpan={columns}>
                    Sin alertas {state ? STATE_LABEL[state]?.toLowerCase().replace(/a$/, "as") : ""}.
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      )}
      {q.data && q.data.total > PAGE && (
        <div className="row" role="navigation" aria-label="Páginas de alertas">
          <button className="secondary small" disabled={offset === 0} onClick={() => setOffset(offset - PAGE)}>
            Anterior
          </button>
          <span className="small">
            {offset + 1}–{Math.min(offset + PAGE, q.data.total)} de {q.data.total}
          </span>
          <button
            className="secondary small"
            disabled={offset + PAGE >= q.data.total}
            onClick={() => setOffset(offset + PAGE)}
          >
            Siguiente
          </button>
        </div>
      )}
    </div>
  );
}
