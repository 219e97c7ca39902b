"use client";
import "./triage.css";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useTRPC } from "@/trpc/react";
import { useScope } from "@/components/shell/scope";
import { Loading } from "@/components/ui/states";
import { COMPLIANCE_POLL_MS } from "@/components/live/live";
import { formatNumber } from "@/domain/format";
import { monthLabelEs } from "@/domain/analytics/period";

const SEGMENTS = [
  { key: "sent", label: "Enviados", color: "#2e9d46" },
  { key: "pending", label: "Pendientes", color: "#e0a500" },
  { key: "review", label: "En revisión", color: "#8e5bd0" },
  { key: "failed", label: "Fallidos", color: "#d2352b" },
  { key: "missing", label: "Faltantes", color: "#7a1d17" },
] as const;

/**
 * The month's DGA reports as one segmented bar: green sent, amber still in time, purple in review, red
 * only for failed or missing, so a month in progress is never painted as a failure.
 */
export function DgaCard({ clientId }: { clientId: number }) {
  const trpc = useTRPC();
  const { href } = useScope();
  const comp = useQuery({ ...trpc.compliance.summary.queryOptions({ clientId }), refetchInterval: COMPLIANCE_POLL_MS });
  const month = comp.data?.client.at(-1);
  const trouble = month ? month.failed + month.missing : 0;
  return (
    <section className="card stack" aria-labelledby="ov-dga" data-testid="dga-card">
      <h2 id="ov-dga">Cumplimiento DGA {month ? `· ${monthLabelEs(month.month)}` : "del mes"}</h2>
      {comp.isLoading ? (
        <Loading what="cumplimiento" />
      ) : month ? (
        <>
          <p style={{ margin: 0 }}>
            <strong>
              {month.sent} de {month.due}
            </strong>{" "}
            reportes horarios del mes enviados
            {month.compliancePct != null ? ` (${formatNumber(month.compliancePct, 1)} %)` : ""};{" "}
            {trouble === 0 ? (
              <span className="ok-text">ninguno fallido ni faltante.</span>
            ) : (
              <strong className="error">{trouble} fallidos o faltantes.</strong>
            )}
          </p>
          <div
            className="seg"
            role="img"
            aria-label={SEGMENTS.map((s) => `${s.label}: ${month[s.key]}`).join(", ")}
            data-testid="dga-bar"
          >
            {SEGMENTS.map((s) =>
              month[s.key] > 0 ? (
                <span
                  key={s.key}
                  data-segment={s.key}
                  title={`${s.label}: ${month[s.key]}`}
                  style={{ width: `${(month[s.key] / Math.max(month.due, 1)) * 100}%`, background: s.color }}
                />
              ) : null,
            )}
          </div>
          <ul className="legend" style={{ listStyle: "none", padding: 0 }} aria-label="Reportes del mes">
            {SEGMENTS.map((s) => (
              <li key={s.key}>
                <span className="dot" style={{ background: s.color }} aria-hidden="true" />
                {s.label}: <strong>{month[s.key]}</strong>
              </li>
            ))}
            <li>
              Enviados a tiempo:{" "}
              <strong>{month.onTimePct == null ? "—" : `${formatNumber(month.onTimePct, 1)} %`}</strong>
            </li>
          </ul>
          <Link prefetch={false} href={href("/compliance")}>
            Ver el mes por punto
          </Link>
        </>
      ) : (
        <p className="muted">Sin reportes DGA programados este mes.</p>
      )}
    </section>
  );
}
