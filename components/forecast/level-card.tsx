"use client";
import {
  CartesianGrid,
  ComposedChart,
  Line,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import type { LevelTrend } from "@/domain/forecast/level";
import { formatNumber } from "@/domain/format";
import { dayEs, dayShortEs } from "./format";

/** Water-table trend per window and when the dynamic level would reach the pump intake (depth axis points down). */
export function LevelCard({ trend }: { trend: LevelTrend }) {
  const rows = trend.series.map((p) => ({
    day: p.day,
    static: p.staticM,
    dynamic: p.dynamicM,
    projected: p.projectedDynamicM,
  }));
  return (
    <section className="card stack" aria-labelledby="lv-title" data-testid="level-card">
      <h2 id="lv-title" style={{ margin: 0 }}>
        Tendencia del nivel del pozo
      </h2>
      <p className="small" style={{ margin: 0 }}>
        {trend.explanation}
      </p>
      {trend.status === "ok" && (
        <>
          <table className="small">
            <caption className="visually-hidden">Tendencia del nivel estático por ventana</caption>
            <thead>
              <tr>
                <th scope="col">Ventana</th>
                <th scope="col">Tendencia</th>
                <th scope="col">Incertidumbre (±1 σ)</th>
                <th scope="col">Días con datos</th>
              </tr>
            </thead>
            <tbody>
              {trend.windows.map((w) => (
                <tr key={w.days}>
                  <td>{w.days} días</td>
                  <td className="mono">
                    {w.slopeMPerMonth == null
                      ? "—"
                      : `${w.slopeMPerMonth >= 0 ? "+" : ""}${formatNumber(w.slopeMPerMonth, 2)} m/mes`}
                  </td>
                  <td className="mono">
                    {w.seMPerMonth == null
                      ? "—"
                      : `± ${formatNumber(w.seMPerMonth, w.seMPerMonth < 0.01 ? 3 : 2)} m/mes`}
                  </td>
                  <td>{w.n}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <dl className="props small">
            <dt>Nivel estático (7 días)</dt>
            <dd>{formatNumber(trend.staticDepthM, 2)} m</dd>
            <dt>Nivel dinámico (7 días)</dt>
            <dd>{formatNumber(trend.dynamicDepthM, 2)} m</dd>
            <dt>Profundidad de la bomba</dt>
            <dd>
              {trend.pumpIntakeDepthM == null ? "sin configurar" : `${formatNumber(trend.pumpIntakeDepthM, 2)} m`}
            </dd>
            <dt>Fecha proyectada en la bomba</dt>
            <dd>
              {trend.intake.alreadyReached ? (
                <span className="badge bad">alcanzada</span>
              ) : trend.intake.date ? (
                `${dayEs(trend.intake.date)} (entre ${dayEs(trend.intake.earliest)} y ${trend.intake.latest ? dayEs(trend.intake.latest) : "más de 5 años"})`
              ) : (
                "—"
              )}
            </dd>
          </dl>
          <div
            className="chart-box"
            role="img"
            aria-label={`Nivel estático y dinámico del último año${trend.pumpIntakeDepthM != null ? ` y profundidad de la bomba ${formatNumber(trend.pumpIntakeDepthM, 1)} m` : ""}`}
          >
            <ResponsiveContainer width="100%" height="100%">
              <ComposedChart data={rows} margin={{ top: 10, right: 16, bottom: 4, left: 4 }}>
                <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />
                <XAxis dataKey="day" stroke="var(--muted)" fontSize={12} tickFormatter={dayShortEs} minTickGap={24} />
                <YAxis
                  reversed
                  stroke="var(--muted)"
                  fontSize={12}
                  width={48}
                  tickFormatter={(v: number) => formatNumber(v, 0)}
                  domain={["auto", (max: number) => Math.max(max, trend.pumpIntakeDepthM ?? max)]}
                />
                <Tooltip
                  labelFormatter={(d) => dayEs(String(d))}
                  formatter={(v, name) => [`${formatNumber(Number(v), 2)} m`, String(name)]}
                />
                <Line
                  dataKey="static"
                  name="Nivel estático"
                  stroke="var(--brand)"
                  dot={false}
                  isAnimationActive={false}
                  connectNulls={false}
                />
                <Line
                  dataKey="dynamic"
                  name="Nivel dinámico"
                  stroke="var(--warn)"
                  dot={false}
                  isAnimationActive={false}
                  connectNulls={false}
                />
                <Line
                  dataKey="projected"
                  name="Proyección dinámico"
                  stroke="var(--warn)"
                  strokeDasharray="6 4"
                  dot={false}
                  isAnimationActive={false}
                  connectNulls
                />
                {trend.pumpIntakeDepthM != null && (
                  <ReferenceLine
                    y={trend.pumpIntakeDepthM}
                    stroke="var(--bad)"
                    strokeDasharray="4 2"
                    label={{ value: "Bomba", fill: "var(--bad)", fontSize: 12, position: "insideBottomLeft" }}
                  />
                )}
              </ComposedChart>
            </ResponsiveContainer>
          </div>
        </>
      )}
    </section>
  );
}
