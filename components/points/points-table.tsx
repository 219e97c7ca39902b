"use client";
import "@/components/overview/triage.css";
import Link from "next/link";
import { useMemo, useState } from "react";
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/trpc/root";
import { label } from "@/domain/labels";
import { formatAge, formatDateTime, formatNumber } from "@/domain/format";
import { SortTh, compare, type SortState } from "@/components/ui/sort";
import type { PointRealtime } from "@/components/live/live";
import type { Well } from "@/components/overview/action-list";
import { StateBadge } from "./point-state";

export type PointRow = inferRouterOutputs<AppRouter>["points"]["list"][number];
type Key = "name" | "state" | "flow" | "age" | "transport";

const SHORT_PROVIDER: Record<string, string> = {
  tdata: "T.Data",
  tts: "TTS",
  thethingsio: "thethings.iO",
  tago: "TagoIO",
  custom: "Personalizado",
};
const flowOf = (rt: PointRealtime | undefined) => rt?.values.find((v) => v.variable === "flow") ?? null;

/**
 * The points list. Priority columns: name (wraps, never pushes the others out), state with every
 * reason in words, flow, last reading, DGA; on a phone each row becomes a card (triage.css).
 */
export function PointsTable({
  points,
  rt,
  triage,
  now,
  showClient,
  href,
}: {
  points: PointRow[];
  rt: Map<number, PointRealtime>;
  triage: Map<number, Well>;
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
        case "state":
          // Most urgent first when ascending: urgency is "higher = worse".
          return -(triage.get(p.id)?.urgency ?? 0);
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
  }, [points, rt, triage, sort]);
  const th = (k: Key, text: string, cls?: string) => (
    <SortTh k={k} sort={sort} onSort={setSort} className={cls}>
      {text}
    </SortTh>
  );
  return (
    <div className="table-wrap">
      <table className="points-table">
        <caption className="visually-hidden">
          Puntos de captación ({points.length}); las columnas se pueden ordenar
        </caption>
        <thead>
          <tr>
            {th("name", "Punto")}
            {th("state", "Estado y motivo")}
            {th("flow", "Caudal (L/s)", "num")}
            {th("age", "Última lectura")}
            {th("transport", "DGA")}
          </tr>
        </thead>
        <tbody>
          {rows.map((p) => {
            const r = rt.get(p.id);
            const t = triage.get(p.id);
            const flow = flowOf(r);
            const providers = p.bindings.map((b) => SHORT_PROVIDER[b.account.kind] ?? b.account.kind).join(", ");
            return (
              <tr key={p.id} data-testid="point-row">
                <td className="name-cell">
                  <Link prefetch={false} href={href(`/points/${p.id}`)} className="point-name">
                    {p.name}
                  </Link>
                  <div className="muted small">
                    <span className="mono">{p.obraCode ?? "sin código de obra"}</span> ·{" "}
                    {label("standard", p.dgaStandard)}
                    {providers ? <> · {providers}</> : null}
                    {showClient ? <> · {p.client.name}</> : <span className="visually-hidden"> ({p.client.name})</span>}
                  </div>
                </td>
                <td className="reason-cell">
                  <StateBadge state={t?.state ?? r?.state} late={t?.conditions.some((c) => c.kind === "delayed")} />
                  {t && t.conditions.length > 0 && (
                    <div className="reason" data-testid="state-reason">
                      {t.conditions[0]!.text}
                      {t.conditions.length > 1 && (
                        <span
                          title={t.conditions
                            .slice(1)
                            .map((c) => c.text)
                            .join("\n")}
                        >
                          {" "}
                          (+{t.conditions.length - 1} más)
                        </span>
                      )}
                    </div>
                  )}
                </td>
                <td className="num nowrap" data-label="Caudal (L/s)">
                  {formatNumber(flow?.value, 1)}
                  {p.grantedFlowLps ? (
                    <span className="muted small"> / {formatNumber(p.grantedFlowLps, 1)}</span>
                  ) : null}
                </td>
                <td className="nowrap" data-label="Última lectura">
                  {r?.lastTs ? (
                    <span title={`${formatDateTime(r.lastTs)} (hora de Chile)`}>{formatAge(r.lastTs, now)}</span>
                  ) : (
                    <span className="muted">Sin lecturas</span>
                  )}
                </td>
                <td data-label="DGA">
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
              <td colSpan={5}>Ningún punto coincide con los filtros.</td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
