"use client";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/trpc/react";
import { ErrorMsg, Loading } from "@/components/ui/states";
import { formatNumber } from "@/domain/format";
import type { PeriodForecast } from "@/domain/forecast/right";
import { RightChart } from "./right-chart";
import { LevelCard } from "./level-card";
import { ForecastSettings } from "./forecast-settings";
import { dayEs, m3, pct, tone } from "./format";

function Period({ title, p, rightLabel }: { title: string; p: PeriodForecast; rightLabel: string }) {
  return (
    <div className="card kpi" data-testid={`forecast-${title === "Mes" ? "month" : "year"}`}>
      <span className="label">
        {title} ({dayEs(p.from)} a {dayEs(p.to)})
      </span>
      <span className="value">{m3(p.projectedM3)}</span>
      <span className="small">
        Intervalo 90 %: {formatNumber(p.lowM3, 0)}–{m3(p.highM3)} · real a la fecha {m3(p.actualM3)}
      </span>
      <span className="small">
        {rightLabel}:{" "}
        {p.rightM3 ? (
          <>
            {m3(p.rightM3)} <span className={`badge ${tone(p.projectedPctOfRight)}`}>{pct(p.projectedPctOfRight)}</span>
          </>
        ) : (
          "sin definir"
        )}
      </span>
    </div>
  );
}

/** Point page: will the point exceed its right, when, and how sure — plus the well's level trend. */
export function PointForecast({ pointId, canWrite }: { pointId: number; canWrite: boolean }) {
  const trpc = useTRPC();
  const q = useQuery(trpc.forecast.point.queryOptions({ id: pointId }));
  if (q.isLoading) return <Loading what="proyección" />;
  if (q.error || !q.data) return <ErrorMsg error={q.error} />;
  const { right, level, point } = q.data;
  return (
    <div className="stack">
      <section className="card stack" aria-labelledby="fc-title" data-testid="forecast-card">
        <h2 id="fc-title" style={{ margin: 0 }}>
          Proyección de extracción frente al derecho
        </h2>
        <p className="small" data-testid="forecast-explanation" style={{ margin: 0 }}>
          {right.explanation}
        </p>
        {right.status === "ok" && right.month && right.waterYear ? (
          <>
            {right.exceedance.alreadyExceeded ? (
              <p className="notice bad" role="status">
                El derecho anual ya fue superado en este año hidrológico.
              </p>
            ) : right.exceedance.date ? (
              <p className="notice warn" role="status">
                Se proyecta superar el derecho anual el <strong>{dayEs(right.exceedance.date)}</strong> (con el extremo
                alto del intervalo, desde el {dayEs(right.exceedance.earliest)}).
              </p>
            ) : null}
            <div className="grid kpis">
              <Period title="Mes" p={right.month} rightLabel="Caudal otorgado × días del mes" />
              <Period title="Año hidrológico" p={right.waterYear} rightLabel="Derecho anual" />
              <div className="card kpi">
                <span className="label">Caudal máximo horario esperado este mes</span>
                <span className="value">{formatNumber(right.projectedPeakFlowLps, 1)} L/s</span>
                <span className="small">
                  Caudal otorgado:{" "}
                  {right.grantedFlowLps == null ? "sin definir" : `${formatNumber(right.grantedFlowLps, 1)} L/s`}
                </span>
              </div>
            </div>
            <RightChart series={right.series} rightM3={right.waterYear.rightM3} />
          </>
        ) : null}
      </section>
      {level && <LevelCard trend={level} />}
      {canWrite && <ForecastSettings point={point} isWell={point.kind === "groundwater"} />}
    </div>
  );
}
