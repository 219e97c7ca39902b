"use client";
import "./triage.css";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/trpc/root";
import { useState } from "react";
import { useTRPC } from "@/trpc/react";
import { useScope } from "@/components/shell/scope";
import { ErrorMsg, Loading } from "@/components/ui/states";
import { StateBadge } from "@/components/points/point-state";
import { pollInterval } from "@/components/live/live";

export type Well = inferRouterOutputs<AppRouter>["triage"]["client"]["wells"][number];
const SHOWN = 8;

/** Where a condition is acted on: DGA holes on the compliance page, everything else on the point's page. */
function actionOf(w: Well, href: (p: string) => string): { to: string; text: string } {
  const top = w.conditions[0]!;
  if (top.kind.startsWith("dga_")) return { to: href("/compliance"), text: "Ver cumplimiento" };
  return { to: href(`/points/${w.pointId}`), text: "Ver punto" };
}

/** "What needs me today": the most urgent wells, each with its reasons in words and a link to act. */
export function ActionList({ clientId, live }: { clientId: number; live: boolean }) {
  const trpc = useTRPC();
  const { href } = useScope();
  const q = useQuery({ ...trpc.triage.client.queryOptions({ clientId }), refetchInterval: pollInterval(live) });
  const [all, setAll] = useState(false);
  const wells = (q.data?.wells ?? []).filter((w) => w.urgency > 0);
  return (
    <section className="card" aria-labelledby="ov-actions" data-testid="action-list">
      <div className="row" style={{ justifyContent: "space-between" }}>
        <h2 id="ov-actions" style={{ margin: 0 }}>
          Qué necesita atención hoy
        </h2>
        {wells.length > SHOWN && (
          <button type="button" className="secondary small" aria-expanded={all} onClick={() => setAll(!all)}>
            {all ? `Mostrar solo los ${SHOWN} más urgentes` : `Mostrar los ${wells.length} puntos con pendientes`}
          </button>
        )}
      </div>
      <ErrorMsg error={q.error} />
      {q.isLoading && <Loading what="pendientes" />}
      {q.data && wells.length === 0 && (
        <p className="muted" data-testid="nothing-to-do">
          Nada pendiente: todos los puntos reportan a tiempo, sin alarmas abiertas ni horas DGA faltantes.
        </p>
      )}
      <ul className="action-list">
        {(all ? wells : wells.slice(0, SHOWN)).map((w) => {
          const a = actionOf(w, href);
          return (
            <li key={w.pointId} data-testid="action-item">
              <div>
                <Link prefetch={false} href={href(`/points/${w.pointId}`)} className="point-name">
                  <strong>{w.name}</strong>
                </Link>
                <StateBadge state={w.state} late={w.conditions.some((c) => c.kind === "delayed")} />
              </div>
              <ul className="why">
                {w.conditions.slice(0, 3).map((c, i) => (
                  <li key={i}>{c.text}</li>
                ))}
                {w.conditions.length > 3 && <li className="muted">y {w.conditions.length - 3} más</li>}
              </ul>
              <Link prefetch={false} href={a.to} className="nowrap">
                {a.text}
              </Link>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
