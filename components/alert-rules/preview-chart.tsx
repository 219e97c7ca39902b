"use client";
import { useQuery } from "@tanstack/react-query";
import {
  CartesianGrid,
  Line,
  LineChart,
  ReferenceArea,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { useTRPC } from "@/trpc/react";
import { formatDateTime, formatNumber } from "@/domain/format";
import type { RuleVariable } from "@/domain/alert-rules/rule";

/** The variable's last 30 days (hourly averages), the rule's threshold and the episodes it would have fired. */
export function PreviewChart({
  pointId,
  variable,
  thresholdCanonical,
  episodes,
  from,
  to,
}: {
  pointId: number;
  variable: RuleVariable;
  thresholdCanonical: number;
  episodes: { firedAt: Date | string; resolvedAt: Date | string | null }[];
  from: Date;
  to: Date;
}) {
  const trpc = useTRPC();
  const q = useQuery(
    trpc.analytics.history.queryOptions({ id: pointId, from, to, bucket: "hour", variables: [variable] }),
  );
  const rows = (q.data?.series.find((s) => s.variable === variable)?.rows ?? []).map((p) => ({
    t: new Date(p.t).getTime(),
    v: "avg" in p ? p.avg : p.value,
  }));
  if (!rows.length) return null;
  return (
    <div
      style={{ width: "100%", height: 200 }}
      role="img"
      aria-label={`Últimos 30 días con el umbral ${formatNumber(thresholdCanonical, 2)} y ${episodes.length} episodios`}
    >
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={rows} margin={{ top: 8, right: 16, bottom: 4, left: 4 }}>
          <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />
          <XAxis
            dataKey="t"
            type="number"
            domain={[from.getTime(), to.getTime()]}
            scale="time"
            stroke="var(--muted)"
            fontSize={12}
            tickFormatter={(t: number) => formatDateTime(new Date(t)).slice(0, 5)}
            minTickGap={24}
          />
          <YAxis
            stroke="var(--muted)"
            fontSize={12}
            width={48}
            domain={["auto", "auto"]}
            tickFormatter={(v: number) => formatNumber(v, 1)}
          />
          <Tooltip
            labelFormatter={(t) => formatDateTime(new Date(Number(t)))}
            formatter={(v) => [formatNumber(Number(v), 2), "Promedio horario"]}
          />
          {episodes.map((e, i) => (
            <ReferenceArea
              key={i}
              x1={new Date(e.firedAt).getTime()}
              x2={new Date(e.resolvedAt ?? to).getTime()}
              fill="var(--bad)"
              fillOpacity={0.15}
            />
          ))}
          <Line dataKey="v" stroke="var(--brand)" dot={false} isAnimationActive={false} connectNulls={false} />
          <ReferenceLine y={thresholdCanonical} stroke="var(--bad)" strokeDasharray="4 2" />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
