"use client";
import { useQuery } from "@tanstack/react-query";
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { useTRPC } from "@/trpc/react";
import { ErrorMsg, Loading } from "@/components/ui/states";
import { formatDate, formatNumber } from "@/domain/format";
import { consumptionInput } from "./queries";

/** Extraction per day (or month for long ranges) from the totalizer, against the granted flow. */
export function ConsumptionChart({
  clientId,
  pointId,
  from,
  to,
  deferred = false,
}: {
  clientId: number;
  pointId: number;
  from: Date;
  to: Date;
  deferred?: boolean;
}) {
  const trpc = useTRPC();
  const input = consumptionInput(clientId, pointId, from, to);
  const { granularity } = input;
  const q = useQuery(trpc.analytics.consumption.queryOptions(input));
  const periods = q.data?.points[0]?.periods ?? [];
  const rows = periods.map((p) => ({
    t: formatDate(p.period).slice(granularity === "month" ? 3 : 0, granularity === "month" ? 10 : 5),
    v: p.volumeM3,
    pct: p.pctOfGrantedFlow,
  }));
  const total = q.data?.points[0]?.totalM3 ?? 0;
  return (
    <figure className="card" style={{ margin: 0 }} aria-label="Consumo">
      <figcaption className="row" style={{ justifyContent: "space-between" }}>
        <h3 style={{ margin: 0 }}>
          Consumo <span className="muted small">(m³ por {granularity === "month" ? "mes" : "día"})</span>
        </h3>
        <span className="small muted">Total {formatNumber(total, 1)} m³</span>
      </figcaption>
      <ErrorMsg error={q.error} />
      {q.isLoading ? (
        <Loading what="consumo" />
      ) : rows.length === 0 ? (
        <p className="muted">Sin consumo registrado en el rango.</p>
      ) : deferred ? (
        <div className="chart-box" aria-busy="true" />
      ) : (
        <div
          className="chart-box"
          role="img"
          aria-label={`Consumo por ${granularity === "month" ? "mes" : "día"}: total ${formatNumber(total, 1)} m³`}
        >
          <ResponsiveContainer width="100%" height="100%">
            <BarChart data={rows} margin={{ top: 10, right: 16, bottom: 4, left: 4 }}>
              <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />
              <XAxis dataKey="t" stroke="var(--muted)" fontSize={12} />
              <YAxis stroke="var(--muted)" fontSize={12} width={56} tickFormatter={(v: number) => formatNumber(v, 0)} />
              <Tooltip
                formatter={(v, _n, item) => [
                  `${formatNumber(Number(v), 1)} m³${(item.payload as { pct: number | null }).pct != null ? ` (${formatNumber((item.payload as { pct: number }).pct, 0)} % del caudal otorgado)` : ""}`,
                  "Consumo",
                ]}
              />
              <Bar dataKey="v" fill="var(--brand)" isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
        </div>
      )}
    </figure>
  );
}
