"use client";
import { useQuery } from "@tanstack/react-query";
import { useSearchParams } from "next/navigation";
import { useMemo, useState } from "react";
import { useTRPC } from "@/trpc/react";
import { useScope } from "@/components/shell/scope";
import { PageHeader, RequireScope } from "@/components/ui/page";
import { ErrorMsg, Loading } from "@/components/ui/states";
import { FiltersBar, EMPTY_FILTERS, type PointFilters } from "@/components/points/filters";
import { PointsTable } from "@/components/points/points-table";
import { STATE_COLOR, stateLabel } from "@/components/points/point-state";
import { ChileMap } from "@/components/map/chile-map";
import { LiveBadge, useLiveStream, useRealtime } from "@/components/live/live";
import { useNow } from "@/components/live/use-now";
import { isLateWell, useTriage } from "@/components/points/use-triage";
import { POINT_STATES } from "@/domain/analytics/state";

function PointsView() {
  const trpc = useTRPC();
  const { clientId, href, can, hasModule, clients } = useScope();
  const params = useSearchParams();
  const [f, setF] = useState<PointFilters>({ ...EMPTY_FILTERS, state: params.get("state") ?? "" });
  // The side column keeps the table readable; a manager who wants to look at the map widens it to half the page.
  const [wideMap, setWideMap] = useState(false);
  const points = useQuery(trpc.points.list.queryOptions(clientId ? { clientId } : {}));
  const telemetry = can("measurements:read");
  const { live } = useLiveStream(clientId);
  // From the scope, not from the points: the latest values load in parallel with the list.
  const clientIds = useMemo(() => (clientId ? [clientId] : clients.map((c) => c.id)), [clientId, clients]);
  const liveIds = telemetry ? clientIds.filter((id) => hasModule("telemetry", id)) : [];
  const rt = useRealtime(liveIds, live);
  const triage = useTriage(liveIds, live);
  const now = useNow();
  const regions = useMemo(
    () => [...new Set((points.data ?? []).map((p) => p.region).filter((r): r is string => !!r))].sort(),
    [points.data],
  );

  // "Atrasado" also lists late wells that are in alarm: an alarm never hides lateness.
  const stateOf = (id: number) => triage.get(id)?.state ?? rt.byPoint.get(id)?.state;
  const filtered = useMemo(() => {
    const q = f.q.trim().toLowerCase();
    return (points.data ?? []).filter(
      (p) =>
        (!q || p.name.toLowerCase().includes(q) || (p.obraCode ?? "").toLowerCase().includes(q)) &&
        (!f.provider || p.bindings.some((b) => b.account.kind === f.provider)) &&
        (!f.standard || p.dgaStandard === f.standard) &&
        (!f.region || p.region === f.region) &&
        (!f.state || stateOf(p.id) === f.state || (f.state === "delayed" && isLateWell(triage.get(p.id)))),
    );
  }, [points.data, f, rt.byPoint, triage]);

  const mapPoints = filtered
    .filter((p) => p.latitude != null && p.longitude != null)
    .map((p) => {
      const state = rt.byPoint.get(p.id)?.state;
      return {
        id: p.id,
        name: p.name,
        lat: p.latitude!,
        lon: p.longitude!,
        color: STATE_COLOR[state ?? "unknown"],
        title: stateLabel(state),
        href: href(`/points/${p.id}`),
      };
    });

  return (
    <>
      <PageHeader
        title="Puntos de captación"
        subtitle={points.data ? `${filtered.length} de ${points.data.length} puntos` : undefined}
      >
        {telemetry && <LiveBadge live={live} />}
      </PageHeader>
      <FiltersBar value={f} onChange={setF} regions={regions} withState={telemetry} />
      <ErrorMsg error={points.error} />
      {points.isLoading ? (
        <Loading what="puntos" />
      ) : (
        <div className={wideMap ? "cols-side wide" : "cols-side"}>
          <section aria-label="Lista de puntos">
            <PointsTable
              points={filtered}
              rt={rt.byPoint}
              triage={triage}
              now={now}
              showClient={!clientId}
              href={href}
            />
          </section>
          <section className="card" aria-label="Mapa">
            <button
              className="secondary small"
              aria-pressed={wideMap}
              onClick={() => setWideMap((w) => !w)}
              style={{ marginBottom: ".4rem" }}
            >
              {wideMap ? "Reducir mapa" : "Ampliar mapa"}
            </button>
            <ChileMap
              points={mapPoints}
              highlightRegion={f.region || null}
              legend={
                <ul className="legend" aria-label="Leyenda" style={{ listStyle: "none", padding: 0 }}>
                  {POINT_STATES.map((s) => (
                    <li key={s}>
                      <span className="dot" style={{ background: STATE_COLOR[s] }} aria-hidden="true" />
                      {stateLabel(s)}
                    </li>
                  ))}
                </ul>
              }
            />
          </section>
        </div>
      )}
    </>
  );
}

/** Capture points of the chosen client (or all, for staff): filters, table with state and a map. */
export function PointsPage() {
  return (
    <RequireScope scope="points:read">
      <PointsView />
    </RequireScope>
  );
}
