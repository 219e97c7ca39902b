"use client";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/trpc/react";
import { pollInterval } from "@/components/live/live";
import { StateBadge } from "@/components/points/point-state";
import { formatAge, formatDateTime, formatNumber } from "@/domain/format";
import { labelOf } from "@/domain/measurements/quality";
import { unitLabel } from "@/domain/ui/chart";
import { variableLabel } from "@/domain/i18n/labels";

type Latest = { variable: string; value: number | null; ts: string | Date };

/**
 * In "direct" level mode the sensor already reads the depth to water, so the water table is the same
 * reading twice: one tile ("Nivel freático") instead of two that always agree.
 */
function distinctLatest<T extends Latest>(values: readonly T[]): T[] {
  const wt = values.find((v) => v.variable === "water_table");
  return values.filter(
    (v) =>
      !(v.variable === "level" && wt && wt.value === v.value && new Date(wt.ts).getTime() === new Date(v.ts).getTime()),
  );
}

/** Newest value of each variable, its age and quality, and the point's state. */
export function LatestValues({ pointId, live, now }: { pointId: number; live: boolean; now: Date }) {
  const trpc = useTRPC();
  const q = useQuery({
    ...trpc.analytics.realtime.queryOptions({ id: pointId }),
    refetchInterval: pollInterval(live),
    retry: false,
  });
  const rt = q.data;
  return (
    <section className="grid kpis" aria-label="Últimas lecturas">
      <div className="card kpi">
        <span className="label">Estado</span>
        <span>
          <StateBadge state={rt?.state} />
        </span>
        <span className="small muted">
          {rt?.lastTs ? `Última lectura ${formatAge(rt.lastTs, now)}` : "Sin lecturas"}
        </span>
      </div>
      {distinctLatest(rt?.values ?? []).map((v) => (
        <div key={v.variable} className="card kpi" data-testid={`latest-${v.variable}`}>
          <span className="label">
            {variableLabel(v.variable)}
            {v.variable === "water_table" ? " (profundidad)" : ""}
          </span>
          <span className="value">
            {formatNumber(v.value, v.variable === "totalizer" ? 0 : 2)}{" "}
            <span className="small">{unitLabel(v.unit)}</span>
          </span>
          <span className="small muted" title={formatDateTime(v.ts, undefined, true)}>
            {formatAge(v.ts, now)}
            {v.quality !== "ok" ? ` · ${labelOf(v.quality)}` : ""}
          </span>
        </div>
      ))}
      {rt && rt.openAnomalies > 0 && (
        <div className="card kpi" style={{ borderTop: "4px solid var(--bad)" }}>
          <span className="label">Alertas abiertas</span>
          <span className="value">{rt.openAnomalies}</span>
        </div>
      )}
    </section>
  );
}
