"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { useTRPC } from "@/trpc/react";
import { useNow } from "@/components/live/use-now";
import { useAfterPaint } from "@/components/ui/after-paint";
import { ErrorMsg, Loading } from "@/components/ui/states";
import { QUALITY_COLOR, BUCKET_LABEL, presetRange, toChartRows, unitLabel } from "@/domain/ui/chart";
import { QUALITY_LABEL_ES, type QualityName } from "@/domain/measurements/quality";
import { RangePicker, type RangeChoice } from "./range-picker";
import { SeriesChart } from "./series-chart";
import { ConsumptionChart } from "./consumption-chart";
import { RawTable } from "./raw-table";
import { HistoryExport } from "./history-export";
import { formatNumber } from "@/domain/format";
import { DEFAULT_PRESET, historyInput } from "./queries";

const NO_ROWS: ReturnType<typeof toChartRows> = [];

/** Charts of flow (with the granted flow), level, totalizer and consumption over a chosen range (server-side downsampling) and the table behind them. */
export function HistorySection({
  pointId,
  clientId,
  initialNow,
  grantedFlowLps = null,
}: {
  pointId: number;
  clientId: number;
  initialNow?: Date;
  grantedFlowLps?: number | null;
}) {
  const trpc = useTRPC();
  const [range, setRange] = useState<RangeChoice>({ preset: DEFAULT_PRESET });
  // Starts at the server's clock so the first range (and its query key) is the one the server prefetched.
  const now = useNow(60_000, initialNow);
  const { from, to } = useMemo(
    () => (range.preset === "custom" ? range : presetRange(range.preset, now)),
    [range, now],
  );
  // Progressive: the flow chart is drawn first; the level and consumption charts and the table once the browser is idle.
  const drawRest = useAfterPaint();
  const q = useQuery({
    ...trpc.analytics.history.queryOptions(historyInput(pointId, from, to)),
    placeholderData: keepPreviousData,
  });
  const series = useMemo(
    () =>
      (q.data?.series ?? []).map((s) => ({
        variable: s.variable as string,
        unit: unitLabel(s.unit),
        rows: toChartRows(s.rows),
      })),
    [q.data],
  );
  const get = (v: string) => series.find((s) => s.variable === v);
  const seen = new Set(series.flatMap((s) => s.rows.map((r) => r.q)).filter((x) => x !== "ok"));
  return (
    <section className="section stack" aria-labelledby="hist-title">
      <div className="row" style={{ justifyContent: "space-between", alignItems: "flex-end" }}>
        <h2 id="hist-title" style={{ margin: 0 }}>
          Historia
        </h2>
        <RangePicker value={range} onChange={setRange} defaults={{ from, to }} />
      </div>
      <ErrorMsg error={q.error} />
      {q.isLoading ? (
        <Loading what="historia" />
      ) : (
        q.data && (
          <>
            <p className="muted small" style={{ margin: 0 }} aria-live="polite">
              {BUCKET_LABEL[q.data.bucket] ?? q.data.bucket}
              {q.data.auto ? " (elegido por el servidor según el rango)" : ""}
              {q.data.truncated ? " · resultado truncado" : ""}
              {q.isFetching ? " · actualizando…" : ""}
            </p>
            <HistoryExport pointId={pointId} from={from} to={to} bucket={q.data.bucket} />
            <div className="cols-2">
              <SeriesChart
                title="Caudal"
                unit={get("flow")?.unit ?? "L/s"}
                rows={get("flow")?.rows ?? NO_ROWS}
                from={from}
                to={to}
                reference={
                  grantedFlowLps
                    ? { value: grantedFlowLps, label: `Otorgado ${formatNumber(grantedFlowLps, 2)} L/s` }
                    : null
                }
              />
              <SeriesChart
                title="Nivel del sensor"
                unit={get("level")?.unit ?? "m"}
                rows={get("level")?.rows ?? NO_ROWS}
                from={from}
                to={to}
                fromZero={false}
                deferred={!drawRest}
              />
            </div>
            <div className="cols-2">
              <SeriesChart
                title="Totalizador"
                unit={get("totalizer")?.unit ?? "m³"}
                rows={get("totalizer")?.rows ?? NO_ROWS}
                from={from}
                to={to}
                decimals={1}
                fromZero={false}
                deferred={!drawRest}
              />
              <ConsumptionChart
                clientId={clientId}
                pointId={pointId}
                from={from}
                to={to}
                grantedFlowLps={grantedFlowLps}
                deferred={!drawRest}
              />
            </div>
            <ul className="legend" aria-label="Banderas de calidad" style={{ listStyle: "none", padding: 0 }}>
              <li>
                <strong>Banderas de calidad:</strong>
              </li>
              {(Object.keys(QUALITY_COLOR) as QualityName[])
                .filter((k) => k === "ok" || seen.has(k))
                .map((k) => (
                  <li key={k}>
                    <span className="dot" style={{ background: QUALITY_COLOR[k] }} aria-hidden="true" />
                    {QUALITY_LABEL_ES[k]}
                  </li>
                ))}
            </ul>
            <details open>
              <summary>Tabla de datos con banderas</summary>
              {drawRest ? (
                <RawTable series={series.filter((s) => s.rows.length > 0)} bucket={q.data.bucket} />
              ) : (
                <Loading what="tabla" />
              )}
            </details>
          </>
        )
      )}
    </section>
  );
}
