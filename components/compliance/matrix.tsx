"use client";
import "@/components/overview/triage.css";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/trpc/react";
import { ErrorMsg, Loading } from "@/components/ui/states";
import { COMPLIANCE_POLL_MS } from "@/components/live/live";
import { CELL_LABEL_ES, CELL_SHORT_ES, type CellState } from "@/domain/dga/matrix";
import { monthLabelEs } from "@/domain/analytics/period";
import { formatNumber } from "@/domain/format";
import { DGA_SLOT_STATE_LABEL as SLOT_STATE_LABEL } from "@/domain/i18n/labels";

const LEGEND: CellState[] = ["sent", "late", "pending", "review", "failed", "missing", "not_owed", "future"];
const dayNum = (day: string) => Number(day.slice(8));

function MatrixLegend() {
  return (
    <ul className="legend" style={{ listStyle: "none", padding: 0 }} aria-label="Leyenda de la matriz">
      {LEGEND.map((c) => (
        <li key={c}>
          <span
            className={`dot cell-${c}`}
            aria-hidden="true"
            style={{ borderRadius: 3, width: "0.9rem", height: "0.9rem" }}
          />
          {CELL_LABEL_ES[c]}
        </li>
      ))}
    </ul>
  );
}

/**
 * This month per well: one row per point, one cell per DGA day (its worst hour), the month's figures
 * (the same accounting as the compliance API), and the day's hours on click. Polls every minute.
 */
export function ComplianceMatrix({ clientId, month }: { clientId: number; month: string }) {
  const trpc = useTRPC();
  const q = useQuery({
    ...trpc.compliance.matrix.queryOptions({ clientId, month }),
    refetchInterval: COMPLIANCE_POLL_MS,
  });
  const [sel, setSel] = useState<{ pointId: number; day: string } | null>(null);
  if (q.isLoading) return <Loading what="cumplimiento del mes" />;
  const m = q.data;
  return (
    <div className="stack">
      <ErrorMsg error={q.error} />
      {m && m.points.length === 0 && <p className="muted">Ningún punto tiene reportes DGA en {monthLabelEs(month)}.</p>}
      {m && m.points.length > 0 && (
        <div className="matrix-wrap">
          <table className="matrix" data-testid="compliance-matrix">
            <caption className="visually-hidden">
              Cumplimiento DGA de {monthLabelEs(month)} por punto y día (hora DGA, UTC-4)
            </caption>
            <thead>
              <tr>
                <th className="well">Punto</th>
                {m.days.map((d) => (
                  <th key={d} scope="col" className="num">
                    {dayNum(d)}
                  </th>
                ))}
                <th className="num">Enviados</th>
                <th className="num">A tiempo</th>
              </tr>
            </thead>
            <tbody>
              {m.points.map((p) => (
                <tr key={p.pointId} data-testid="matrix-row">
                  <th scope="row" className="well">
                    {p.name}
                    <div className="muted small mono">{p.obraCode ?? "sin código de obra"}</div>
                  </th>
                  {p.cells.map((c, i) => {
                    const day = m.days[i]!;
                    const pressed = sel?.pointId === p.pointId && sel.day === day;
                    return (
                      <td key={day}>
                        <button
                          type="button"
                          className={`cell cell-${c}`}
                          data-cell={c}
                          aria-pressed={pressed}
                          aria-label={`${p.name}, día ${dayNum(day)}: ${CELL_SHORT_ES[c as CellState]}`}
                          title={`${dayNum(day)} de ${monthLabelEs(month)}: ${CELL_LABEL_ES[c as CellState]}`}
                          onClick={() => setSel(pressed ? null : { pointId: p.pointId, day })}
                        />
                      </td>
                    );
                  })}
                  <td className="num nowrap" title={`${p.sent} de ${p.due} horas adeudadas`}>
                    {p.sent}/{p.due}
                  </td>
                  <td className="num nowrap">{p.onTimePct == null ? "—" : `${formatNumber(p.onTimePct, 1)} %`}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <MatrixLegend />
      {m && (
        <p className="hint" style={{ margin: 0 }}>
          Mes completo: {m.client.sent} de {m.client.due} horas adeudadas enviadas ({m.client.late} con atraso),{" "}
          {m.client.review} en revisión, {m.client.failed} fallidas, {m.client.missing} faltantes. Días en hora DGA
          (UTC-4); se actualiza cada minuto.
        </p>
      )}
      {sel && m && (
        <DayHours
          clientId={clientId}
          month={month}
          pointId={sel.pointId}
          day={sel.day}
          name={m.points.find((p) => p.pointId === sel.pointId)?.name ?? ""}
        />
      )}
    </div>
  );
}

function DayHours(p: { clientId: number; month: string; pointId: number; day: string; name: string }) {
  const trpc = useTRPC();
  const q = useQuery({
    ...trpc.compliance.calendar.queryOptions({ clientId: p.clientId, month: p.month, pointId: p.pointId }),
    refetchInterval: COMPLIANCE_POLL_MS,
  });
  const slots = (q.data?.slots ?? []).filter((s) => s.fecha === p.day);
  return (
    <section className="card" aria-live="polite" aria-labelledby="mx-day" data-testid="matrix-hours">
      <h3 id="mx-day">
        {p.name} · {p.day.split("-").reverse().join("-")} (hora DGA, UTC-4)
      </h3>
      <ErrorMsg error={q.error} />
      {q.isLoading && <Loading what="horas" />}
      {q.data && slots.length === 0 && <p className="muted">Sin horas adeudadas ese día.</p>}
      {slots.length > 0 && (
        <div className="hours" role="list" aria-label="Reportes por hora">
          {slots.map((s) => (
            <div
              key={s.id ?? `missing-${s.hora}`}
              role="listitem"
              className={`hour cell-${s.cell}`}
              title={`${s.hora.slice(0, 5)} (UTC-4) — ${CELL_LABEL_ES[s.cell]} (${SLOT_STATE_LABEL[s.state] ?? s.state})${s.receipt ? ` — comprobante ${s.receipt}` : ""}`}
            >
              {s.hora.slice(0, 5)}
              <span className="visually-hidden">: {CELL_SHORT_ES[s.cell]}</span>
            </div>
          ))}
        </div>
      )}
    </section>
  );
}
