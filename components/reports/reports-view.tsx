"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/trpc/react";
import { useScope } from "@/components/shell/scope";
import { userErrorText } from "@/domain/i18n/errors";
import { PageHeader, RequireScope } from "@/components/ui/page";
import { ErrorMsg, Loading } from "@/components/ui/states";
import { MonthStepper } from "@/components/ui/month-stepper";
import { monthLabelEs, previousSantiagoMonth } from "@/domain/analytics/period";
import { formatDateTime } from "@/domain/format";
import { ClientsMonth } from "./clients-month";

const STATUS: Record<string, [string, string]> = {
  queued: ["info", "En cola"],
  running: ["info", "Generando"],
  done: ["ok", "Listo"],
  failed: ["bad", "Fallido"],
};
type Format = "pdf" | "xlsx" | "csv";

function Reports() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const { clientId: chosenClient, effectiveClientId, isStaff, can, hasModule, clients } = useScope();
  // Staff with "Todos los clientes": the month summary of every client; a file still needs one client.
  const allClients = isStaff && chosenClient == null;
  const clientId = allClients ? null : effectiveClientId;
  const [chosen, setMonth] = useState<string | null>(null);
  const [format, setFormat] = useState<Format>("pdf");
  const enabled = !!clientId && hasModule("reports");
  const list = useQuery({
    ...trpc.reports.list.queryOptions({ clientId: clientId ?? 0, limit: 50, offset: 0 }),
    enabled,
    refetchInterval: (q) =>
      q.state.data?.items.some((r) => r.status === "queued" || r.status === "running") ? 2_000 : false,
  });
  const months = useQuery({ ...trpc.reports.months.queryOptions({ clientId: clientId ?? 0 }), enabled });
  // Until the user picks one: the last month with data (a report of an empty month is pages of zeros).
  const month = chosen ?? months.data?.suggested ?? previousSantiagoMonth(new Date());
  const noData = months.data ? !months.data.months.includes(month) : false;
  const create = useMutation(
    trpc.reports.create.mutationOptions({
      onSuccess: () => qc.invalidateQueries({ queryKey: trpc.reports.pathKey() }),
    }),
  );
  if (allClients)
    return (
      <>
        <PageHeader title="Reportes" subtitle="Todos los clientes" />
        <ClientsMonth />
      </>
    );
  if (!clientId) return <Loading what="clientes" />;
  const name = clients.find((c) => c.id === clientId)?.name ?? "";
  if (!hasModule("reports"))
    return (
      <>
        <PageHeader title="Reportes" />
        <p className="notice">{name} no tiene contratado el módulo de reportes.</p>
      </>
    );
  return (
    <>
      <PageHeader title="Reportes" subtitle={`Reportes mensuales de extracción de ${name}`} />
      {can("reports:create") && (
        <form
          className="card stack"
          aria-labelledby="nr-title"
          onSubmit={(e) => {
            e.preventDefault();
            create.mutate({ clientId, month, format, kind: "monthly" });
          }}
        >
          <h2 id="nr-title">Nuevo reporte mensual</h2>
          <div className="row" style={{ alignItems: "flex-end", gap: "1.2rem" }}>
            <div>
              <span className="label">Mes</span>
              <MonthStepper value={month} max={new Date().toISOString().slice(0, 7)} onChange={setMonth} />
              {noData && (
                <p className="small muted" data-testid="month-no-data">
                  Sin datos en {monthLabelEs(month)}: el reporte saldrá vacío.
                </p>
              )}
            </div>
            <div>
              <label htmlFor="nr-format">Formato</label>
              <select
                id="nr-format"
                value={format}
                onChange={(e) => setFormat(e.target.value as Format)}
                style={{ width: "auto" }}
              >
                <option value="pdf">PDF</option>
                <option value="xlsx">Excel (XLSX)</option>
                <option value="csv">CSV</option>
              </select>
            </div>
            <button type="submit" disabled={create.isPending}>
              {create.isPending ? "Solicitando…" : "Generar"}
            </button>
          </div>
          <ErrorMsg error={create.error} />
        </form>
      )}
      <ErrorMsg error={list.error} />
      {list.isLoading ? (
        <Loading what="reportes" />
      ) : (
        <div className="table-wrap section">
          <table>
            <thead>
              <tr>
                <th>Mes</th>
                <th>Formato</th>
                <th>Solicitado</th>
                <th>Estado</th>
                <th>Avance</th>
                <th>Archivo</th>
              </tr>
            </thead>
            <tbody>
              {list.data?.items.map((r) => {
                const m = (r.params as { month?: string } | null)?.month;
                const [tone, text] = STATUS[r.status] ?? ["", r.status];
                return (
                  <tr key={r.id} data-testid="report-row">
                    <td>{m ? monthLabelEs(m) : "—"}</td>
                    <td>{r.format.toUpperCase()}</td>
                    <td className="nowrap">{formatDateTime(r.createdAt)}</td>
                    <td>
                      <span className={`badge ${tone}`}>{text}</span>
                      {r.error && (
                        <div className="small error" title={r.error}>
                          {userErrorText(r.error)}
                        </div>
                      )}
                    </td>
                    <td style={{ minWidth: 140 }}>
                      <div
                        className="progress"
                        role="progressbar"
                        aria-label={`Avance del reporte ${r.id}`}
                        aria-valuemin={0}
                        aria-valuemax={100}
                        aria-valuenow={r.progress}
                      >
                        <span style={{ width: `${r.progress}%` }} />
                      </div>
                    </td>
                    <td>
                      {r.downloadUrl ? (
                        <a href={r.downloadUrl} download>
                          {r.fileName ?? "Descargar"}
                        </a>
                      ) : (
                        "—"
                      )}
                    </td>
                  </tr>
                );
              })}
              {list.data?.items.length === 0 && (
                <tr>
                  <td colSpan={6}>Sin reportes.</td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

/** Monthly reports of the chosen client: request one, follow its progress, download it (staff with "Todos los clientes": the month per client). */
export function ReportsView() {
  return (
    <RequireScope scope="reports:read">
      <Reports />
    </RequireScope>
  );
}
