"use client";
import "@/components/overview/triage.css";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useTRPC } from "@/trpc/react";
import { useScope } from "@/components/shell/scope";
import { ErrorMsg, Loading } from "@/components/ui/states";
import { formatDateTime, formatDgaDateTime, formatNumber } from "@/domain/format";
import { QUALITY_LABEL_ES } from "@/domain/measurements/quality";
import { REASON_LABEL, REASON_WHY } from "./review-reasons";

const HOUR = 3_600_000;
const W = 420;
const H = 90;

export interface ReviewSlot {
  pointId: number;
  pointName: string;
  slotAt: Date;
  reasons: string[] | null;
}

type Pt = { t: number; v: number; flagged: boolean };

/** Flow around the slot's hour; the hour is shaded and flagged readings are red dots. */
function Sparkline({ pts, slotAt }: { pts: Pt[]; slotAt: number }) {
  if (pts.length < 2) return <p className="muted small">Sin lecturas de caudal alrededor de esa hora.</p>;
  const t0 = slotAt - 6 * HOUR;
  const t1 = slotAt + 2 * HOUR;
  const vs = pts.map((p) => p.v);
  const lo = Math.min(0, ...vs);
  const hi = Math.max(...vs, lo + 1);
  const x = (t: number) => ((t - t0) / (t1 - t0)) * W;
  const y = (v: number) => H - 4 - ((v - lo) / (hi - lo)) * (H - 8);
  return (
    <svg
      className="sparkline"
      viewBox={`0 0 ${W} ${H}`}
      role="img"
      aria-label={`Caudal entre ${formatDateTime(new Date(t0))} y ${formatDateTime(new Date(t1))}: de ${formatNumber(Math.min(...vs), 1)} a ${formatNumber(hi, 1)} L/s`}
      data-testid="review-chart"
    >
      <rect x={x(slotAt - HOUR)} y={0} width={x(slotAt) - x(slotAt - HOUR)} height={H} fill="var(--warn-bg)" />
      <polyline
        fill="none"
        stroke="var(--brand)"
        strokeWidth={1.5}
        points={pts.map((p) => `${x(p.t).toFixed(1)},${y(p.v).toFixed(1)}`).join(" ")}
      />
      <text x={2} y={10} fontSize={9} fill="var(--muted)">
        {formatNumber(hi, 1)} L/s
      </text>
      <text x={2} y={H - 2} fontSize={9} fill="var(--muted)">
        {formatDateTime(new Date(t0)).slice(11)}
      </text>
      <text x={W - 2} y={H - 2} fontSize={9} fill="var(--muted)" textAnchor="end">
        {formatDateTime(new Date(t1)).slice(11)} (hora de Chile)
      </text>
      {pts
        .filter((p) => p.flagged)
        .map((p) => (
          <circle key={p.t} cx={x(p.t)} cy={y(p.v)} r={3.5} fill="#d2352b" />
        ))}
    </svg>
  );
}

/**
 * Why an hour is held for review, with its evidence: the reason in words, the flagged readings of the
 * hour, the flow around it, and what happens next and who acts.
 */
export function ReviewContext({
  slot,
  clientId,
  canReview,
}: {
  slot: ReviewSlot;
  clientId: number;
  canReview: boolean;
}) {
  const trpc = useTRPC();
  const { href, can, hasModule } = useScope();
  const slotAt = new Date(slot.slotAt).getTime();
  const telemetry = can("measurements:read") && hasModule("telemetry", clientId);
  const q = useQuery({
    ...trpc.analytics.history.queryOptions({
      id: slot.pointId,
      from: new Date(slotAt - 6 * HOUR),
      to: new Date(slotAt + 2 * HOUR),
      bucket: "raw",
      variables: ["flow", "totalizer", "level"],
      includeRaw: true,
    }),
    enabled: telemetry,
  });
  const flow = q.data?.series.find((s) => s.variable === "flow");
  const pts: Pt[] = (flow?.rows ?? [])
    .filter((r): r is typeof r & { value: number } => "value" in r && r.value != null)
    .map((r) => ({ t: new Date(r.t).getTime(), v: r.value, flagged: r.flagged }));
  // The measurement that fills an hour is the last one before it (docs/DGA.md): look one hour either side.
  const flagged = (q.data?.series ?? []).flatMap((s) =>
    (s.flagged ?? [])
      .filter((f) => Math.abs(new Date(f.t).getTime() - slotAt) <= HOUR)
      .map((f) => ({ ...f, variable: s.variable, unit: s.unit })),
  );
  return (
    <div className="stack small" data-testid="review-context">
      <div>
        <strong>Por qué está en revisión:</strong>
        <ul style={{ margin: ".25rem 0" }}>
          {(slot.reasons ?? []).map((r) => (
            <li key={r}>
              {REASON_LABEL[r] ?? r}
              {REASON_WHY[r] ? ` — ${REASON_WHY[r]}` : ""}
            </li>
          ))}
        </ul>
      </div>
      {telemetry && (
        <div>
          <strong>Lecturas con bandera cerca de {formatDgaDateTime(new Date(slotAt))}:</strong>
          <ErrorMsg error={q.error} />
          {q.isLoading && <Loading what="lecturas" />}
          {q.data && flagged.length === 0 && <p className="muted">No hay lecturas con bandera en esa hora.</p>}
          {flagged.length > 0 && (
            <ul style={{ margin: ".25rem 0" }} data-testid="flagged-readings">
              {flagged.slice(0, 6).map((f) => (
                <li key={`${f.variable}-${String(f.t)}`}>
                  {formatDateTime(f.t)} (hora de Chile) ·{" "}
                  {f.variable === "flow" ? "caudal" : f.variable === "totalizer" ? "totalizador" : "nivel"}:{" "}
                  {QUALITY_LABEL_ES[f.quality] ?? f.quality}
                  {f.rawValue != null ? ` (valor recibido ${f.rawValue}${f.rawUnit ? ` ${f.rawUnit}` : ""})` : ""}
                  {f.reason ? ` — ${f.reason}` : ""}
                </li>
              ))}
            </ul>
          )}
          {q.data && <Sparkline pts={pts} slotAt={slotAt} />}
          <p className="muted" style={{ margin: 0 }}>
            Caudal (L/s) de 6 h antes a 2 h después; la franja marca la hora reportada, los puntos rojos las lecturas
            con bandera.{" "}
            <Link prefetch={false} href={href(`/points/${slot.pointId}`)}>
              Abrir el gráfico del punto
            </Link>
          </p>
        </div>
      )}
      <p className="notice" style={{ margin: 0 }} data-testid="review-next">
        <strong>Qué pasa ahora:</strong>{" "}
        {canReview
          ? "Revise los valores: «Aceptar y enviar» los envía a la DGA en el próximo ciclo con su nota; «Descartar» deja la hora omitida, con la nota como constancia."
          : "Este reporte no se envía a la DGA hasta que alguien lo revise: lo resuelve el equipo de SmartHydro, usted no necesita hacer nada. Si sabe algo de esa hora (mantención, cambio de medidor), avísenos."}
      </p>
    </div>
  );
}
