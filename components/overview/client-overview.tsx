"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useTRPC } from "@/trpc/react";
import { useScope } from "@/components/shell/scope";
import { Progress } from "@/components/ui/progress";
import { ActionList } from "./action-list";
import { DgaCard } from "./dga-card";
import { ErrorMsg, Loading } from "@/components/ui/states";
import { STATE_COLOR, stateLabel } from "@/components/points/point-state";
import { pollInterval } from "@/components/live/live";
import { POINT_STATES, type PointState } from "@/domain/analytics/state";
import { formatDateTime, formatNumber } from "@/domain/format";
import { formatRut } from "@/domain/rut";
import { OpenAlerts } from "./open-alerts";
import { ClientForecastCard } from "@/components/forecast/client-forecast-card";

function stateCounts(wells: { state: PointState; conditions: { kind: string }[] }[]): Record<PointState, number> {
  const c = Object.fromEntries(POINT_STATES.map((s) => [s, 0])) as Record<PointState, number>;
  for (const w of wells) {
    if (w.state !== "delayed") c[w.state] += 1;
    if (w.conditions.some((x) => x.kind === "delayed")) c.delayed += 1;
  }
  return c;
}

/** One client's dashboard: what needs attention today, points by state, extraction vs granted volume, DGA month, open alerts. */
export function ClientOverview({ clientId, live }: { clientId: number; live: boolean }) {
  const trpc = useTRPC();
  const { hasModule, href, can } = useScope();
  const client = useQuery(trpc.clients.get.queryOptions({ id: clientId }));
  const points = useQuery(trpc.points.list.queryOptions({ clientId }));
  const telemetry = hasModule("telemetry", clientId) && can("measurements:read");
  const dga = hasModule("dga", clientId);
  const ov = useQuery({
    ...trpc.analytics.overview.queryOptions({ clientId }),
    enabled: telemetry,
    refetchInterval: pollInterval(live),
  });

  // Counted from the triage (shared with the action list): a late well in alarm counts as late too.
  const triage = useQuery({
    ...trpc.triage.client.queryOptions({ clientId }),
    enabled: telemetry,
    refetchInterval: pollInterval(live),
  });
  const counts = triage.data ? stateCounts(triage.data.wells) : null;
  const grantedLps = (points.data ?? []).reduce((s, p) => s + (p.grantedFlowLps ?? 0), 0);
  const annual = ov.data?.grantedAnnualM3 ?? null;
  const dayMax = grantedLps ? grantedLps * 86.4 : null;

  return (
    <div className="stack">
      {!client.data ? (
        <Loading what="cliente" />
      ) : (
        <section className="card" data-testid="client-card" aria-labelledby="ov-client">
          <div className="row" style={{ justifyContent: "space-between" }}>
            <div>
              <h2 id="ov-client" style={{ margin: 0 }}>
                {client.data.name}
              </h2>
              {
                <p className="muted small" style={{ margin: 0 }}>
                  RUT {formatRut(client.data.rut)} · {points.data?.length ?? "…"} puntos de captación
                </p>
              }
            </div>
            {ov.data && <span className="muted small">Actualizado {formatDateTime(ov.data.at, undefined, true)}</span>}
          </div>
        </section>
      )}
      <ErrorMsg error={ov.error ?? client.error} />
      {telemetry && <ActionList clientId={clientId} live={live} />}
      {telemetry && (
        <section aria-labelledby="ov-states">
          <h2 id="ov-states" className="visually-hidden">
            Puntos por estado
          </h2>
          <div className="grid kpis">
            {POINT_STATES.map((s) => (
              <Link
                key={s}
                prefetch={false}
                href={href(`/points?state=${s}`)}
                className="card kpi"
                style={{ textDecoration: "none", color: "inherit", borderTop: `4px solid ${STATE_COLOR[s]}` }}
                data-testid={`kpi-${s}`}
              >
                <span className="value">{counts ? counts[s] : ov.data ? ov.data.pointsByState[s] : "…"}</span>
                <span className="label">{s === "delayed" ? "Atrasados (incl. en alarma)" : stateLabel(s)}</span>
              </Link>
            ))}
            <Link
              prefetch={false}
              href={href("/alerts")}
              className="card kpi"
              style={{ textDecoration: "none", color: "inherit", borderTop: "4px solid var(--bad)" }}
              data-testid="kpi-alerts"
            >
              <span className="value">{ov.data ? ov.data.openAlerts : "…"}</span>
              <span className="label">Alertas abiertas</span>
            </Link>
          </div>
        </section>
      )}
      <div className="cols-2">
        {telemetry && (
          <section className="card stack" aria-labelledby="ov-extr">
            <h2 id="ov-extr">Extracción frente a lo otorgado</h2>
            {ov.isLoading ? (
              <Loading what="extracción" />
            ) : (
              ov.data && (
                <>
                  <Progress label="Hoy" value={ov.data.todayM3} max={dayMax} unit="m³" />
                  <Progress label="Este mes" value={ov.data.monthM3} max={annual ? annual / 12 : null} unit="m³" />
                  <Progress label="Año a la fecha" value={ov.data.yearM3} max={annual} unit="m³" />
                  <p className="hint">
                    Hoy frente al caudal otorgado × 24 h ({formatNumber(grantedLps, 1)} L/s); mes y año frente al
                    volumen anual otorgado.
                  </p>
                </>
              )
            )}
          </section>
        )}
        {dga && <DgaCard clientId={clientId} />}
      </div>
      {telemetry && <ClientForecastCard clientId={clientId} href={href} />}
      {hasModule("alerts", clientId) && can("alerts:read") && <OpenAlerts clientId={clientId} live={live} />}
    </div>
  );
}
