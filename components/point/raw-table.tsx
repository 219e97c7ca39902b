"use client";
import { useState } from "react";
import { labelOf } from "@/domain/measurements/quality";
import { QUALITY_COLOR, BUCKET_LABEL, type ChartRow } from "@/domain/ui/chart";
import { formatDateTime, formatNumber } from "@/domain/format";
import { VARIABLE_LABEL } from "@/domain/i18n/labels";

const PAGE = 50;
const VAR_LABEL: Record<string, string> = VARIABLE_LABEL;

/** The readings behind the charts, newest first, with their quality flag. */
export function RawTable({
  series,
  bucket,
}: {
  series: { variable: string; unit: string; rows: ChartRow[] }[];
  bucket: string;
}) {
  const [page, setPage] = useState(0);
  const [onlyFlagged, setOnlyFlagged] = useState(false);
  const byT = new Map<number, Record<string, ChartRow>>();
  for (const s of series) for (const r of s.rows) byT.set(r.t, { ...(byT.get(r.t) ?? {}), [s.variable]: r });
  let times = [...byT.keys()].sort((a, b) => b - a);
  if (onlyFlagged) times = times.filter((t) => Object.values(byT.get(t)!).some((r) => r.q !== "ok"));
  const pages = Math.max(1, Math.ceil(times.length / PAGE));
  const shown = times.slice(page * PAGE, page * PAGE + PAGE);
  return (
    <div className="stack">
      <div className="row" style={{ justifyContent: "space-between" }}>
        <p className="muted small" style={{ margin: 0 }}>
          {times.length} filas · {BUCKET_LABEL[bucket] ?? bucket}
          {bucket !== "raw" ? " (promedio y peor bandera del intervalo)" : ""}
        </p>
        <label style={{ fontWeight: 400 }}>
          <input
            type="checkbox"
            checked={onlyFlagged}
            onChange={(e) => {
              setOnlyFlagged(e.target.checked);
              setPage(0);
            }}
          />
          Solo con bandera
        </label>
      </div>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th>Fecha y hora</th>
              {series.map((s) => (
                <th key={s.variable} className="num">
                  {VAR_LABEL[s.variable] ?? s.variable} ({s.unit})
                </th>
              ))}
              <th>Calidad</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((t) => {
              const row = byT.get(t)!;
              const flags = [
                ...new Set(
                  Object.values(row)
                    .map((r) => r.q)
                    .filter((q) => q !== "ok"),
                ),
              ];
              return (
                <tr key={t} data-testid="raw-row">
                  <td className="nowrap">{formatDateTime(new Date(t), undefined, bucket === "raw")}</td>
                  {series.map((s) => (
                    <td key={s.variable} className="num">
                      {formatNumber(row[s.variable]?.v, s.variable === "totalizer" ? 0 : 2)}
                    </td>
                  ))}
                  <td>
                    {flags.length === 0 ? (
                      <span className="badge ok">Válido</span>
                    ) : (
                      flags.map((q) => (
                        <span key={q} className="badge" style={{ marginRight: 4 }}>
                          <span className="dot" style={{ background: QUALITY_COLOR[q] }} aria-hidden="true" />
                          {labelOf(q)}
                        </span>
                      ))
                    )}
                  </td>
                </tr>
              );
            })}
            {shown.length === 0 && (
              <tr>
                <td colSpan={series.length + 2}>Sin datos.</td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      {pages > 1 && (
        <div className="row" role="navigation" aria-label="Páginas de datos">
          <button className="secondary small" disabled={page === 0} onClick={() => setPage(page - 1)}>
            Anterior
          </button>
          <span className="small">
            Página {page + 1} de {pages}
          </span>
          <button className="secondary small" disabled={page >= pages - 1} onClick={() => setPage(page + 1)}>
            Siguiente
          </button>
        </div>
      )}
    </div>
  );
}
