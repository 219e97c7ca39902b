"use client";
import Link from "next/link";
import { useMemo, useState } from "react";
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/trpc/root";
import { label } from "@/domain/labels";
import { formatAge, formatDateTime, formatNumber } from "@/domain/format";
import { SortTh, compare, type SortState } from "@/components/ui/sort";
import type { PointRealtime } from "@/components/live/live";
import { StateBadge, stateLabel } from "./point-state";

export type PointRow = inferRouterOutputs<AppRouter>["points"]["list"][number];
type Key = "name" | "client" | "obra" | "standard" | "provider" | "state" | "flow" | "age" | "transport";

const SHORT_PROVIDER: Record<string, string> = {
  tdata: "T.Data",
  tts: "TTS",
  thethingsio: "thethings.iO",
  tago: "TagoIO",
  custom: "Personalizado",
};
const flowOf = (rt: PointRealtime | undefined) => rt?.values.find((v) => v.variable === "flow") ?? null;

export function PointsTable({
  points,
  rt,
  now,
  showClient,
  href,
}: {
  points: PointRow[];
  rt: Map<number, PointRealtime>;
  now: Date;
  showClient: boolean;
  href: (p: string) => string;
}) {
  const [sort, setSort] = useState<SortState<Key>>({ key: "name", dir: "asc" });
  const rows = useMemo(() => {
    const val = (p: PointRow): unknown => {
      const r = rt.get(p.id);
      switch (sort.key) {
        case "name":
          return p.name;
        case "client":
          return p.client.name;
        case "obra":
          return p.obraCode;
        case "standard":
          return label("standard", p.dgaStandard);
        case "provider":
          return p.bindings.map((b) => label("provider", b.account.kind)).join(", ");
        case "state":
          return stateLabel(r?.state);
        case "flow":
          return flowOf(r)?.value ?? null;
        case "age":
          return r?.ageSec ?? null;
        case "transport":
          return label("transport", p.dgaTransport);
      }
    };
    const out = [...points].sort((a, b) => compare(val(a), val(b)));
    return sort.dir === "asc" ? out : out.reverse();
  }, [points, rt, sort]);
  const th = (k: Key, text: string, cls?: string) => (
    <SortTh k={k} sort={sort} onSort={setSort} className={cls}>
      {text}
    </SortTh>
  );
  return (
    <div className="table-wrap">
      <table>
        <caption className="visually-hidden">
          Puntos de captación ({points.length}); las columnas se pueden ordenar
        </caption>
        <thead>
          <tr>
            {th("name", "Punto")}
            {th("provider", "Proveedor")}
            {th("state", "Estado")}
            {th("flow", "Caudal (L/s)", "num")}
            {th("age", "Última lectura")}
            {th("transport", "DGA")}
          </tr>
        </thead>
        <tbody>
          {rows.map((p) => {
            const r = rt.get(p.id);
            const flow = flowOf(r);
            return (
              <tr key={p.id} data-testid="point-row">
                <td style={{ minWidth: "11rem" }}>
                  <Link prefetch={false} href={href(`/points/${p.id}`)}>
                    {p.name}
                  </Link>
                  <div className="muted small">
                    <span className="mono">{p.obraCode ?? "sin código de obra"}</span> ·{" "}
                    {label("standard", p.dgaStandard)}
                    {showClient ? <> · {p.client.name}</> : <span className="visually-hidden"> ({p.client.name})</span>}
                  </div>
                </td>
                <td className="small" title={p.bindings.map((b) => label("provider", b.account.kind)).join(", ")}>
                  {p.bindings.map((b) => SHORT_PROVIDER[b.account.kind] ?? b.account.kind).join(", ") || "—"}
                </td>
                <td className="nowrap">
                  <StateBadge state={r?.state} />
                </td>
                <td className="num nowrap">
                  {formatNumber(flow?.value, 1)}
                  {p.grantedFlowLps ? (
                    <span className="muted small"> / {formatNumber(p.grantedFlowLps, 1)}</span>
                  ) : null}
                </td>
                <td className="nowrap">
                  {r?.lastTs ? (
                    <span title={formatDateTime(r.lastTs)}>{formatAge(r.lastTs, now)}</span>
                  ) : (
                    <span className="muted">Sin lecturas</span>
                  )}
                </td>
                <td>
                  <span
                    className={`badge ${p.dgaTransport === "live" ? "ok" : p.dgaTransport === "shadow" ? "warn" : ""}`}
                  >
                    {label("transport", p.dgaTransport)}
                  </span>
                </td>
              </tr>
            );
          })}
          {rows.length === 0 && (
            <tr>
              <td colSpan={6}>Ningún punto coincide con los filtros.</td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
