"use client";
import { useQuery } from "@tanstack/react-query";
import { Bar, BarChart, CartesianGrid, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { useTRPC } from "@/trpc/react";
import { ErrorMsg, Loading } from "@/components/ui/states";
import { formatDate, formatNumber } from "@/domain/format";

const MONTHS_ES = ["ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept", "oct", "nov", "dic"];
/** "03-12" per day, "dic 2026" per month (never "dic 26", which reads as a day). */
function periodLabel(period: Date | string, granularity: "day" | "month"): string {
  const d = formatDate(period);
  return granularity === "month" ? `${MONTHS_ES[Number(d.slice(3, 5)) - 1]} ${d.slice(6)}` : d.slice(0, 5);
}
import { consumptionInput } from "./queries";

/** Extraction per day (or month for long ranges) from the totalizer, against the granted flow. */
export function ConsumptionChart({
  clientId,
  pointId,
  from,
  to,
  deferred = false,
  grantedFlowLps = null,
}: {
  clientId: number;
  pointId: number;
  from: Date;
  to: Date;
  deferred?: boolean;
  grantedFlowLps?: number | null;
}) {
  const trpc = useTRPC();
  const input = consumptionInput(clientId, pointId, from, to);
  const { granularity } = input;
  const q = useQuery(trpc.analytics.consumption.queryOptions(input));
  const periods = q.data?.points[0]?.periods ?? [];
  const rows = periods.map((p) => ({
    t: periodLabel(p.period, granularity),
    v: p.volumeM3,
    pct: p.pctOfGrantedFlow,
  }));
  const total = q.data?.points[0]?.totalM3 ?? 0;
  // The most the right allows in one day (granted L/s all day); per month the bars would dwarf it.
  const dailyMaxM3 = grantedFlowLps && granularity === "day" ? (grantedFlowLps * 86_400) / 1000 : null;
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
              {dailyMaxM3 && (
                <ReferenceLine
                  y={dailyMaxM3}
                  stroke="var(--bad)"
                  strokeDasharray="6 4"
                  ifOverflow="extendDomain"
                  label={{
                    value: `Máximo otorgado ${formatNumber(dailyMaxM3, 0)} m³/día`,
                    position: "insideTopRight",
                    fill: "var(--bad)",
                    fontSize: 12,
                  }}
                />
              )}
            </BarChart>
          </ResponsiveContainer>
        </div>
      )}
    </figure>
  );
}
