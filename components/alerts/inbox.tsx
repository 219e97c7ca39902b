"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/trpc/react";
import { ErrorMsg, Loading } from "@/components/ui/states";
import { formatDateTime } from "@/domain/format";
import { SEVERITY_BADGE, SEVERITY_LABEL, anomalyLabel } from "./labels";

/** In-portal notifications of the client; reading one marks it read. */
export function Inbox({ clientId }: { clientId: number }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const q = useQuery(trpc.notifications.list.queryOptions({ clientId, limit: 100 }));
  const read = useMutation(
    trpc.notifications.markRead.mutationOptions({
      onSuccess: () => qc.invalidateQueries({ queryKey: trpc.notifications.pathKey() }),
    }),
  );
  if (q.isLoading) return <Loading what="notificaciones" />;
  return (
    <div className="stack">
      <ErrorMsg error={q.error ?? read.error} />
      {q.data?.length === 0 && <p className="muted">Sin notificaciones.</p>}
      <ul style={{ listStyle: "none", padding: 0, margin: 0 }}>
        {q.data?.map((n) => (
          <li
            key={n.id}
            className="card"
            style={{ marginBottom: ".5rem", opacity: n.readAt ? 0.75 : 1 }}
            data-testid="notification"
          >
            <div className="row" style={{ justifyContent: "space-between" }}>
              <div className="row">
                <span className={`badge ${SEVERITY_BADGE[n.severity] ?? ""}`}>
                  {SEVERITY_LABEL[n.severity] ?? n.severity}
                </span>
                <strong>{n.title}</strong>
                {n.event !== "manual" && <span className="small muted">{anomalyLabel(n.event)}</span>}
              </div>
              <span className="small muted">{formatDateTime(n.createdAt)}</span>
            </div>
            {n.body && <p style={{ margin: ".4rem 0 0" }}>{n.body}</p>}
            {!n.readAt && (
              <button className="link small" onClick={() => read.mutate({ id: n.id })}>
                Marcar como leída
              </button>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
