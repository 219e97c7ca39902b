"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { useTRPC } from "@/trpc/react";
import { ErrorMsg, Loading } from "@/components/ui/states";
import { MonthStepper } from "@/components/ui/month-stepper";
import { monthLabelEs, santiagoDay } from "@/domain/analytics/period";
import { formatNumber } from "@/domain/format";

/**
 * Staff with "Todos los clientes": one row per client for a month (points, DGA compliance, extraction, open
 * alerts) with a link to each client's reports; generating or downloading a file still needs one client.
 */
export function ClientsMonth() {
  const trpc = useTRPC();
  // The month so far: what staff follow day to day (a closed month is one step back).
  const [month, setMonth] = useState(() => santiagoDay(new Date()).slice(0, 7));
  const q = useQuery({ ...trpc.reports.clientsMonth.queryOptions({ month }), placeholderData: keepPreviousData });
  return (
    <section className="card stack" aria-labelledby="cm-title">
      <h2 id="cm-title">Resumen del mes por cliente</h2>
      <div className="row" style={{ justifyContent: "space-between" }}>
        <MonthStepper value={month} max={new Date().toISOString().slice(0, 7)} onChange={setMonth} />
        <p className="small muted" style={{ margin: 0 }}>
          Para generar o descargar un reporte PDF o XLSX, abra el cliente.
        </p>
      </div>
      <ErrorMsg error={q.error} />
      {q.isLoading ? (
        <Loading what="clientes" />
      ) : (
        <div className="table-wrap">
          <table className="cards-sm">
            <caption className="visually-hidden">Resumen de {monthLabelEs(month)} por cliente</caption>
            <thead>
              <tr>
                <th>Cliente</th>
                <th className="num">Puntos</th>
                <th className="num">Cumplimiento DGA</th>
                <th className="num">Volumen (m³)</th>
                <th className="num">Alertas abiertas</th>
                <th>
                  <span className="visually-hidden">Reportes</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {q.data?.clients.map((c) => (
                <tr key={c.clientId} data-testid="client-month-row">
                  <td data-label="Cliente">
                    <strong>{c.name}</strong>
                  </td>
                  <td className="num" data-label="Puntos">
                    {formatNumber(c.points, 0)}
                  </td>
                  <td
                    className="num nowrap"
                    data-label="Cumplimiento DGA"
                    title={c.dgaDue ? `${c.dgaSent} de ${c.dgaDue} envíos debidos` : undefined}
                  >
                    {c.compliancePct == null ? "—" : `${formatNumber(c.compliancePct, 1)} %`}
                  </td>
                  <td className="num nowrap" data-label="Volumen (m³)">
                    {formatNumber(c.volumeM3, 0)}
                  </td>
                  <td className="num" data-label="Alertas abiertas">
                    {formatNumber(c.openAlerts, 0)}
                  </td>
                  <td className="nowrap">
                    <Link prefetch={false} href={`/reports?clientId=${c.clientId}`}>
                      Ver reportes
                    </Link>
                  </td>
                </tr>
              ))}
              {q.data?.clients.length === 0 && (
                <tr>
                  <td colSpan={6}>Ningún cliente tiene contratado el módulo de reportes.</td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      )}
      <p className="small muted" style={{ margin: 0 }}>
        Volumen y alertas: mes en hora de Chile (America/Santiago); cumplimiento DGA: mes en UTC-4, envíos hechos sobre
        los debidos hasta hoy. Alertas abiertas: las de hoy.
      </p>
    </section>
  );
}
