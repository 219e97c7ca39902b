"use client";
import { useQueries, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useTRPC } from "@/trpc/react";
import { useScope } from "@/components/shell/scope";
import { PageHeader, RequireScope } from "@/components/ui/page";
import { ErrorMsg, Loading } from "@/components/ui/states";
import { ClientOverview } from "@/components/overview/client-overview";
import { LiveBadge, pollInterval, useLiveStream } from "@/components/live/live";
import { STATE_COLOR, stateLabel } from "@/components/points/point-state";
import { POINT_STATES } from "@/domain/analytics/state";
import { formatNumber } from "@/domain/format";
import { formatRut } from "@/domain/rut";
import { label } from "@/domain/labels";

/** Staff without a chosen client: one card per client with its headline numbers. */
function AllClients({ live }: { live: boolean }) {
  const trpc = useTRPC();
  const { setClientId, can } = useScope();
  const clients = useQuery(trpc.clients.list.queryOptions({}));
  const list = (clients.data ?? []).filter((c) => c.active);
  const inactive = (clients.data ?? []).length - list.length;
  const telemetry = (c: (typeof list)[number]) =>
    c.modules.some((m) => m.module === "telemetry" && m.enabled) && can("measurements:read");
  const overviews = useQueries({
    queries: list.map((c) => ({
      ...trpc.analytics.overview.queryOptions({ clientId: c.id }),
      enabled: telemetry(c),
      refetchInterval: pollInterval(live),
    })),
  });
  const triage = useQueries({
    queries: list.map((c) => ({
      ...trpc.triage.client.queryOptions({ clientId: c.id }),
      enabled: telemetry(c),
      refetchInterval: pollInterval(live),
    })),
  });
  if (clients.isLoading) return <Loading what="clientes" />;
  return (
    <>
      <ErrorMsg error={clients.error} />
      <section className="grid" aria-label="Clientes">
        {list.map((c, i) => {
          const ov = overviews[i]?.data;
          const urgent = (triage[i]?.data?.wells ?? []).filter((x) => x.urgency > 0);
          return (
            <article key={c.id} className="card stack" data-testid="client-card">
              <div>
                <h2 style={{ marginBottom: 0 }}>{c.name}</h2>
                <p className="muted small" style={{ margin: 0 }}>
                  RUT {formatRut(c.rut)} · {c._count.points} puntos
                </p>
              </div>
              {ov && (
                <ul className="legend" style={{ listStyle: "none", padding: 0 }} aria-label="Puntos por estado">
                  {POINT_STATES.map((s) => (
                    <li key={s}>
                      <span className="dot" style={{ background: STATE_COLOR[s] }} aria-hidden="true" />
                      {stateLabel(s)}: <strong>{ov.pointsByState[s]}</strong>
                    </li>
                  ))}
                </ul>
              )}
              {ov && (
                <p style={{ margin: 0 }}>
                  Extracción del mes: <strong>{formatNumber(ov.monthM3, 0)} m³</strong> · Alertas abiertas:{" "}
                  <strong>{ov.openAlerts}</strong>
                </p>
              )}
              {triage[i]?.data && (
                <div data-testid="client-actions">
                  <strong>
                    {urgent.length === 0
                      ? "Nada pendiente hoy"
                      : `${urgent.length} punto${urgent.length > 1 ? "s" : ""} necesita${urgent.length > 1 ? "n" : ""} atención`}
                  </strong>
                  <ul className="small" style={{ margin: ".2rem 0 0", paddingLeft: "1rem" }}>
                    {urgent.slice(0, 3).map((x) => (
                      <li key={x.pointId}>
                        <Link prefetch={false} href={`/points/${x.pointId}?clientId=${c.id}`}>
                          {x.name}
                        </Link>
                        : {x.conditions[0]!.text}
                      </li>
                    ))}
                  </ul>
                </div>
              )}
              <p style={{ margin: 0 }}>
                {c.modules
                  .filter((m) => m.enabled)
                  .map((m) => (
                    <span key={m.module} className="badge" style={{ marginRight: 4 }}>
                      {label("module", m.module)}
                    </span>
                  ))}
              </p>
              <div className="row">
                <button className="small" onClick={() => setClientId(c.id)}>
                  Ver resumen
                </button>
                <Link prefetch={false} href={`/points?clientId=${c.id}`}>
                  Ver puntos
                </Link>
              </div>
            </article>
          );
        })}
      </section>
      {inactive > 0 && (
        <p className="muted small section">
          {inactive} cliente{inactive > 1 ? "s" : ""} inactivo{inactive > 1 ? "s" : ""} no se muestra
          {inactive > 1 ? "n" : ""}; véalos en Clientes y módulos.
        </p>
      )}
    </>
  );
}

function Overview() {
  const { clientId, can } = useScope();
  const { live } = useLiveStream(clientId);
  return (
    <>
      <PageHeader
        title="Resumen"
        subtitle={clientId ? "Estado de los puntos, extracción, cumplimiento DGA y alertas" : "Todos los clientes"}
      >
        {can("measurements:read") && <LiveBadge live={live} />}
      </PageHeader>
      {clientId ? <ClientOverview clientId={clientId} live={live} /> : <AllClients live={live} />}
    </>
  );
}

/** The portal's home: one client's dashboard, or (staff, no client chosen) a card per client. */
export function OverviewView() {
  return (
    <RequireScope scope="clients:read">
      <Overview />
    </RequireScope>
  );
}
