"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { useTRPC } from "@/trpc/react";
import { useScope } from "@/components/shell/scope";
import { PageHeader } from "@/components/ui/page";
import { ErrorMsg, Loading, isNotFound } from "@/components/ui/states";
import { Tabs, TabPanel } from "@/components/ui/tabs";
import { LiveBadge, useLiveStream } from "@/components/live/live";
import { useNow } from "@/components/live/use-now";
import { LatestValues } from "@/components/point/latest-values";
import { HistorySection } from "@/components/point/history-section";
import { PointInfo } from "@/components/point/point-info";
import { BindingsPanel } from "@/components/admin/bindings-panel";
import { ComplianceCalendar } from "@/components/compliance/calendar";
import { Receipts } from "@/components/compliance/receipts";
import { AnomalyList } from "@/components/alerts/anomaly-list";
import { PointForecast } from "@/components/forecast/forecast-card";
import { PointRules } from "@/components/alert-rules/point-rules";

type Tab = "data" | "forecast" | "setup" | "dga" | "alerts";
const dgaMonth = () => new Date(Date.now() - 4 * 3_600_000).toISOString().slice(0, 7);

/**
 * A capture point: latest values, history charts, set-up, DGA and alerts. The server page prefetches
 * the point and the data tab's queries (app/(portal)/points/[id]/page.tsx), so the first render has data;
 * `initialNow` is the server's clock, which fixes the first chart range to the one it prefetched.
 */
export function PointDetail({ id, initialNow }: { id: number; initialNow?: Date }) {
  const trpc = useTRPC();
  const { can, hasModule, href } = useScope();
  const q = useQuery({ ...trpc.points.get.queryOptions({ id }), retry: false });
  const [tab, setTab] = useState<Tab>("data");
  const p = q.data;
  const { live } = useLiveStream(p?.clientId ?? null);
  const now = useNow(15_000, initialNow);
  if (q.isLoading) return <Loading what="punto" />;
  if (q.error || !p) {
    return (
      <div className="card" role="alert" data-testid="not-found">
        <h1>Punto no encontrado</h1>
        {isNotFound(q.error) || !q.error ? (
          <p>El punto no existe o no pertenece a sus clientes.</p>
        ) : (
          <ErrorMsg error={q.error} />
        )}
        <Link prefetch={false} href={href("/points")}>
          Volver a los puntos
        </Link>
      </div>
    );
  }
  const telemetry = hasModule("telemetry", p.clientId) && can("measurements:read");
  const dga = hasModule("dga", p.clientId) && can("compliance:read");
  const alerts = hasModule("alerts", p.clientId) && can("alerts:read");
  const tabs: { key: Tab; label: string }[] = [
    ...(telemetry
      ? [
          { key: "data" as const, label: "Datos" },
          { key: "forecast" as const, label: "Proyección" },
        ]
      : []),
    { key: "setup", label: "Configuración y sensores" },
    ...(dga ? [{ key: "dga" as const, label: "DGA" }] : []),
    ...(alerts ? [{ key: "alerts" as const, label: "Alertas" }] : []),
  ];
  const current = tabs.some((t) => t.key === tab) ? tab : tabs[0]!.key;
  return (
    <>
      <nav aria-label="Ruta" className="small">
        <Link prefetch={false} href={href("/points")}>
          Puntos de captación
        </Link>{" "}
        › {p.name}
      </nav>
      <PageHeader
        title={p.name}
        subtitle={
          <>
            {p.client.name}
            {p.obraCode ? (
              <>
                {" "}
                · <span className="mono">{p.obraCode}</span>
              </>
            ) : null}
          </>
        }
      >
        {telemetry && <LiveBadge live={live} />}
        {can("points:write") && (
          <Link className="button secondary" prefetch={false} href={href("/admin/points")}>
            Editar configuración
          </Link>
        )}
      </PageHeader>
      {telemetry && <LatestValues pointId={p.id} live={live} now={now} />}
      <div className="section">
        <Tabs tabs={tabs} value={current} onChange={setTab} label="Secciones del punto" />
      </div>
      <TabPanel id={current}>
        {current === "data" && (
          <HistorySection
            pointId={p.id}
            clientId={p.clientId}
            initialNow={initialNow}
            grantedFlowLps={p.grantedFlowLps}
          />
        )}
        {current === "forecast" && <PointForecast pointId={p.id} canWrite={can("points:write")} />}
        {current === "setup" && (
          <div className="cols-2">
            <section className="card" aria-labelledby="cfg-title">
              <h2 id="cfg-title">Configuración</h2>
              <PointInfo p={p} />
            </section>
            <section aria-labelledby="bind-title">
              <h2 id="bind-title">Vinculación y sensores</h2>
              <BindingsPanel pointId={p.id} clientId={p.clientId} canWrite={can("providers:write")} />
            </section>
          </div>
        )}
        {current === "dga" && (
          <div className="stack">
            <section aria-labelledby="slots-title">
              <h2 id="slots-title">Reportes DGA del mes</h2>
              <ComplianceCalendar
                clientId={p.clientId}
                month={dgaMonth()}
                pointId={p.id}
                pointNames={new Map([[p.id, p.name]])}
              />
            </section>
            <section aria-labelledby="rec-title">
              <h2 id="rec-title">Comprobantes</h2>
              <Receipts clientId={p.clientId} pointId={p.id} />
            </section>
          </div>
        )}
        {current === "alerts" && (
          <div className="stack">
            <AnomalyList clientId={p.clientId} pointId={p.id} live={live} />
            <PointRules pointId={p.id} clientId={p.clientId} canWrite={can("notifications:write")} />
          </div>
        )}
      </TabPanel>
    </>
  );
}
