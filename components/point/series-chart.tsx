"use client";
import { memo, useMemo } from "react";
import { CartesianGrid, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { QUALITY_COLOR, type ChartRow } from "@/domain/ui/chart";
import { timeTicks, yTickDecimals } from "@/domain/ui/ticks";
import { labelOf } from "@/domain/measurements/quality";
import { formatDateTime, formatNumber } from "@/domain/format";

interface DotProps {
  cx?: number;
  cy?: number;
  payload?: ChartRow;
  index?: number;
}

/**
 * One variable over time; every reading whose quality is not "ok" is a dot coloured by its flag.
 * Long ranges arrive downsampled (≤ 1,000 buckets per variable, server-side), so a year of hourly
 * data is ~366 day buckets here. The chart re-renders only when its data or range changes (memo), and
 * the per-point dot renderer runs only when there is a dot to draw.
 */
export const SeriesChart = memo(function SeriesChart({
  title,
  unit,
  rows,
  from,
  to,
  decimals = 2,
  deferred = false,
  reference,
  fromZero = true,
}: {
  title: string;
  unit: string;
  rows: ChartRow[];
  from: Date;
  to: Date;
  decimals?: number;
  deferred?: boolean;
  /** A horizontal line such as the granted flow, kept inside the y range. */
  reference?: { value: number; label: string } | null;
  /** false for a counter or a depth, whose changes are small beside its size. */
  fromZero?: boolean;
}) {
  const x = useMemo(() => timeTicks(from.getTime(), to.getTime()), [from, to]);
  const y = useMemo(() => {
    let lo = Infinity;
    let hi = -Infinity;
    for (const r of rows)
      if (r.v != null) {
        lo = Math.min(lo, r.v);
        hi = Math.max(hi, r.v);
      }
    if (reference) hi = Math.max(hi, reference.value);
    return { decimals: Number.isFinite(lo) ? yTickDecimals(lo, hi) : 1 };
  }, [rows, reference]);
  const showAll = rows.length <= 60;
  const dot = ({ cx, cy, payload, index }: DotProps) => {
    if (cx == null || cy == null || !payload || payload.v == null || (payload.q === "ok" && !showAll))
      return <g key={`d${index}`} />;
    return (
      <circle
        key={`d${index}`}
        cx={cx}
        cy={cy}
        r={payload.q === "ok" ? 2.5 : 4.5}
        fill={QUALITY_COLOR[payload.q]}
        stroke="#fff"
        strokeWidth={1}
      />
    );
  };
  const flagged = rows.reduce((n, r) => (r.q !== "ok" ? n + 1 : n), 0);
  return (
    <figure className="card" style={{ margin: 0 }} aria-label={`${title} (${unit})`}>
      <figcaption className="row" style={{ justifyContent: "space-between" }}>
        <h3 style={{ margin: 0 }}>
          {title} <span className="muted small">({unit})</span>
        </h3>
        <span className="small muted">
          {rows.length} puntos{flagged ? ` · ${flagged} con bandera` : ""}
        </span>
      </figcaption>
      {rows.length === 0 ? (
        <p className="muted">Sin datos en el rango.</p>
      ) : deferred ? (
        <div className="chart-box" aria-busy="true" />
      ) : (
        <div
          className="chart-box"
          role="img"
          aria-label={`Gráfico de ${title.toLowerCase()}: ${rows.length} valores; ${flagged} con bandera de calidad`}
        >
          <ResponsiveContainer width="100%" height="100%">
            <LineChart data={rows} margin={{ top: 10, right: 16, bottom: 4, left: 4 }}>
              <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />
              <XAxis
                dataKey="t"
                type="number"
                scale="time"
                domain={[from.getTime(), to.getTime()]}
                ticks={x.ticks}
                tickFormatter={x.format}
                stroke="var(--muted)"
                fontSize={12}
              />
              <YAxis
                stroke="var(--muted)"
                fontSize={12}
                width={64}
                tickCount={6}
                domain={fromZero ? [(dataMin: number) => Math.min(0, Math.floor(dataMin)), "auto"] : ["auto", "auto"]}
                tickFormatter={(v: number) => formatNumber(v, y.decimals)}
              />
              <Tooltip
                labelFormatter={(t) => `${formatDateTime(new Date(Number(t)))} (hora de Santiago)`}
                formatter={(v, _n, item) => [
                  `${formatNumber(Number(v), decimals)} ${unit} — ${labelOf((item.payload as ChartRow).q)}`,
                  title,
                ]}
              />
              {reference && (
                <ReferenceLine
                  y={reference.value}
                  stroke="var(--bad)"
                  strokeDasharray="6 4"
                  ifOverflow="extendDomain"
                  label={{ value: reference.label, position: "insideTopRight", fill: "var(--bad)", fontSize: 12 }}
                />
              )}
              <Line
                type="monotone"
                dataKey="v"
                stroke="var(--brand)"
                strokeWidth={1.8}
                dot={showAll || flagged > 0 ? dot : false}
                isAnimationActive={false}
                connectNulls={false}
              />
            </LineChart>
          </ResponsiveContainer>
        </div>
      )}
    </figure>
  );
});
