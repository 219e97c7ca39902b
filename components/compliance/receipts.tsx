"use client";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/trpc/react";
import { ErrorMsg, Loading } from "@/components/ui/states";
import { formatDateTime, formatNumber } from "@/domain/format";
import { downloadFile } from "@/components/ui/download";

const VERIFIED_HELP =
  "Verificado: el comprobante se consultó de vuelta en la DGA (MEE) y los valores registrados allá coinciden con los enviados. Sin verificar no significa un error: el comprobante es válido desde que la DGA lo emitió.";

/** DGA receipts with the public consult link, and a CSV export of the same list. */
export function Receipts({ clientId, month, pointId }: { clientId: number; month?: string; pointId?: number | null }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const input = { clientId, ...(month ? { month } : {}), ...(pointId ? { pointId } : {}), limit: 500 };
  const q = useQuery(trpc.compliance.receipts.queryOptions(input));
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState<unknown>(null);

  async function exportCsv() {
    setBusy(true);
    setErr(null);
    try {
      const r = await qc.fetchQuery(trpc.compliance.receiptsCsv.queryOptions({ ...input, limit: 50_000 }));
      downloadFile(r.fileName, r.csv, r.contentType);
    } catch (e) {
      setErr(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="stack">
      <div className="row" style={{ justifyContent: "space-between" }}>
        <p className="muted" style={{ margin: 0 }}>
          {q.data
            ? `${q.data.length} comprobantes${q.data.length === 500 ? " (se muestran los 500 más recientes)" : ""}`
            : ""}
        </p>
        <button className="secondary" onClick={exportCsv} disabled={busy} data-testid="receipts-csv">
          {busy ? "Exportando…" : "Exportar CSV"}
        </button>
      </div>
      <p className="hint" style={{ margin: 0 }} data-testid="receipts-zones">
        La hora de medición está en la hora oficial de la DGA (UTC-4 todo el año); la hora de envío, en la hora de Chile
        (America/Santiago), que en verano va una hora adelante: la medición de las 10:00 (UTC-4) enviada a las 11:05
        (hora de Chile) salió 5 minutos después, no una hora tarde. {VERIFIED_HELP}
      </p>
      <ErrorMsg error={q.error ?? err} />
      {q.isLoading ? (
        <Loading what="comprobantes" />
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th>Punto</th>
                <th>Medición (hora DGA, UTC-4)</th>
                <th className="num">Caudal (L/s)</th>
                <th className="num">Totalizador (m³)</th>
                <th className="num">Nivel (m)</th>
                <th>Comprobante</th>
                <th>Enviado (hora de Chile)</th>
                <th>
                  <abbr title={VERIFIED_HELP}>Verificado</abbr>
                </th>
              </tr>
            </thead>
            <tbody>
              {q.data?.map((r) => (
                <tr key={r.id} data-testid="receipt-row">
                  <td>
                    {r.pointName}
                    <div className="muted small mono">{r.obraCode}</div>
                  </td>
                  <td className="nowrap">
                    {r.fecha.split("-").reverse().join("-")} {r.hora.slice(0, 5)}
                  </td>
                  <td className="num">{formatNumber(r.flowLps, 2)}</td>
                  <td className="num">{formatNumber(r.totalizerM3, 0)}</td>
                  <td className="num">{formatNumber(r.levelM, 2)}</td>
                  <td>
                    <a href={r.consultUrl} target="_blank" rel="noopener noreferrer" className="mono">
                      {r.receipt}
                      <span className="visually-hidden"> (consultar en la DGA, abre una ventana nueva)</span>
                    </a>
                  </td>
                  <td className="nowrap">{r.sentAt ? formatDateTime(r.sentAt) : "—"}</td>
                  <td>
                    {r.verifiedAt ? (
                      <span className="badge ok">{formatDateTime(r.verifiedAt)}</span>
                    ) : (
                      <span className="muted" title={VERIFIED_HELP}>
                        Aún no consultado
                      </span>
                    )}
                  </td>
                </tr>
              ))}
              {q.data?.length === 0 && (
                <tr>
                  <td colSpan={8}>Sin comprobantes en el período.</td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
