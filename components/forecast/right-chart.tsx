"use client";
import {
  Area,
  CartesianGrid,
  ComposedChart,
  Line,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import type { ForecastSeriesPoint } from "@/domain/forecast/right";
import { formatNumber } from "@/domain/format";
import { dayEs, dayShortEs } from "./format";

/** Cumulative water-year extraction: actual (solid), projection (dashed), its interval (band) and the annual right. */
export function RightChart({
  series,
  rightM3,
  height = 280,
}: {
  series: readonly ForecastSeriesPoint[];
  rightM3: number | null;
  height?: number;
}) {
  const rows = series.map((p) => ({
    day: p.day,
    actual: p.actualCumM3,
    projected: p.projectedCumM3,
    band: p.lowCumM3 != null && p.highCumM3 != null ? [p.lowCumM3, p.highCumM3] : null,
  }));
  const last = series.at(-1);
  return (
    <div
      style={{ width: "100%", height }}
      role="img"
      aria-label={`Extracción acumulada del año hidrológico y proyección al ${dayEs(last?.day)}: ${formatNumber(last?.projectedCumM3, 0)} m³${rightM3 ? ` frente a un derecho de ${formatNumber(rightM3, 0)} m³` : ""}`}
    >
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart data={rows} margin={{ top: 10, right: 16, bottom: 4, left: 4 }}>
          <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />
          <XAxis dataKey="day" stroke="var(--muted)" fontSize={12} tickFormatter={dayShortEs} minTickGap={24} />
          <YAxis
            stroke="var(--muted)"
            fontSize={12}
            width={64}
            tickFormatter={(v: number) => formatNumber(v, 0)}
            domain={[0, (max: number) => Math.max(max, (rightM3 ?? 0) * 1.05)]}
          />
          <Tooltip
            labelFormatter={(d) => dayEs(String(d))}
            formatter={(v, name) => [
              Array.isArray(v)
                ? `${formatNumber(Number(v[0]), 0)}–${formatNumber(Number(v[1]), 0)} m³`
                : `${formatNumber(Number(v), 0)} m³`,
              String(name),
            ]}
          />
          <Area
            dataKey="band"
            name="Intervalo 90 %"
            stroke="none"
            fill="var(--brand)"
            fillOpacity={0.15}
            isAnimationActive={false}
            connectNulls={false}
          />
          <Line
            dataKey="actual"
            name="Real"
            stroke="var(--brand)"
            strokeWidth={2}
            dot={false}
            isAnimationActive={false}
            connectNulls={false}
          />
          <Line
            dataKey="projected"
            name="Proyección"
            stroke="var(--brand)"
            strokeDasharray="6 4"
            dot={false}
            isAnimationActive={false}
            connectNulls={false}
          />
          {rightM3 ? (
            <ReferenceLine
              y={rightM3}
              stroke="var(--bad)"
              strokeDasharray="4 2"
              label={{ value: "Derecho anual", fill: "var(--bad)", fontSize: 12, position: "insideTopLeft" }}
            />
          ) : null}
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}
