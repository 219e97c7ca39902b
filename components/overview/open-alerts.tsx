"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useTRPC } from "@/trpc/react";
import { useScope } from "@/components/shell/scope";
import { pollInterval } from "@/components/live/live";
import { ErrorMsg } from "@/components/ui/states";
import { formatDateTime } from "@/domain/format";
import { anomalyLabel, SEVERITY_BADGE, SEVERITY_LABEL } from "@/components/alerts/labels";

export function OpenAlerts({ clientId, live }: { clientId: number; live: boolean }) {
  const trpc = useTRPC();
  const { href } = useScope();
  const q = useQuery({
    ...trpc.analytics.anomalies.queryOptions({ clientId, state: "open", limit: 5, offset: 0 }),
    refetchInterval: pollInterval(live),
  });
  return (
    <section className="card" aria-labelledby="ov-alerts">
      <div className="row" style={{ justifyContent: "space-between" }}>
        <h2 id="ov-alerts">Alertas abiertas {q.data ? `(${q.data.total})` : ""}</h2>
        <Link prefetch={false} href={href("/alerts")}>
          Ver todas
        </Link>
      </div>
      <ErrorMsg error={q.error} />
      {q.data?.items.length === 0 && <p className="muted">No hay alertas abiertas.</p>}
      <ul style={{ listStyle: "none", padding: 0, margin: 0 }}>
        {q.data?.items.map((a) => (
          <li key={a.id} className="row" style={{ padding: ".35rem 0", borderBottom: "1px solid var(--border)" }}>
            <span className={`badge ${SEVERITY_BADGE[a.severity] ?? ""}`}>
              {SEVERITY_LABEL[a.severity] ?? a.severity}
            </span>
            <strong>{anomalyLabel(a.type)}</strong>
            <Link prefetch={false} href={href(`/points/${a.pointId}`)}>
              {a.point.name}
            </Link>
            <span className="muted small">desde {formatDateTime(a.startedAt)}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
