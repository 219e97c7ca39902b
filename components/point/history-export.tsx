"use client";
import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/trpc/react";
import { ErrorMsg } from "@/components/ui/states";
import { HISTORY_VARIABLES } from "./queries";
import { downloadFile } from "@/components/ui/download";

/** Downloads the range shown in the charts (same bucket) as CSV or XLSX; times in America/Santiago. */
export function HistoryExport({
  pointId,
  from,
  to,
  bucket,
}: {
  pointId: number;
  from: Date;
  to: Date;
  bucket: string | undefined;
}) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [busy, setBusy] = useState<"csv" | "xlsx" | null>(null);
  const [err, setErr] = useState<unknown>(null);

  async function download(format: "csv" | "xlsx") {
    setBusy(format);
    setErr(null);
    try {
      const r = await qc.fetchQuery(
        trpc.analytics.historyExport.queryOptions({
          id: pointId,
          from,
          to,
          variables: [...HISTORY_VARIABLES],
          format,
          ...(bucket ? { bucket: bucket as "raw" } : {}),
        }),
      );
      const bytes = Uint8Array.from(atob(r.base64), (c) => c.charCodeAt(0));
      downloadFile(r.fileName, bytes, r.contentType);
    } catch (e) {
      setErr(e);
    } finally {
      setBusy(null);
    }
  }

  return (
    <div className="row" role="group" aria-label="Exportar el rango mostrado">
      <span className="small muted">Exportar el rango mostrado:</span>
      <button
        type="button"
        className="secondary small"
        onClick={() => download("csv")}
        disabled={busy !== null}
        data-testid="history-csv"
      >
        {busy === "csv" ? "Exportando…" : "CSV"}
      </button>
      <button
        type="button"
        className="secondary small"
        onClick={() => download("xlsx")}
        disabled={busy !== null}
        data-testid="history-xlsx"
      >
        {busy === "xlsx" ? "Exportando…" : "Excel (XLSX)"}
      </button>
      <ErrorMsg error={err} />
    </div>
  );
}
