"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/trpc/react";
import { ErrorMsg } from "@/components/ui/states";
import { DGA_TRANSPORTS } from "@/domain/schemas/point";
import { label } from "@/domain/labels";
import { formatDgaDateTime } from "@/domain/format";
import type { PointRow } from "@/components/points/points-table";

/** Operator control of how each point reports to the DGA: off, shadow (prepared, not sent) or live. */
export function TransportTable({ points }: { points: PointRow[] }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [msg, setMsg] = useState<string | null>(null);
  const set = useMutation(
    trpc.compliance.setTransport.mutationOptions({
      onSuccess: (_r, v) => {
        setMsg(
          `Transporte de ${points.find((p) => p.id === v.pointId)?.name ?? "punto"} cambiado a «${label("transport", v.transport)}».`,
        );
        void qc.invalidateQueries({ queryKey: trpc.points.pathKey() });
        void qc.invalidateQueries({ queryKey: trpc.compliance.pathKey() });
      },
    }),
  );
  const cycle = useMutation(
    trpc.compliance.runCycle.mutationOptions({
      onSuccess: () => {
        setMsg("Ciclo DGA ejecutado.");
        void qc.invalidateQueries({ queryKey: trpc.compliance.pathKey() });
      },
    }),
  );
  return (
    <div className="stack">
      <div className="row" style={{ justifyContent: "space-between" }}>
        <p className="muted" style={{ margin: 0 }}>
          «Sombra» prepara los reportes sin enviarlos; «En vivo» los envía a la DGA.
        </p>
        <button className="secondary" onClick={() => cycle.mutate({})} disabled={cycle.isPending}>
          {cycle.isPending ? "Ejecutando…" : "Ejecutar ciclo DGA ahora"}
        </button>
      </div>
      {msg && (
        <p role="status" className="notice" data-testid="transport-msg">
          {msg}
        </p>
      )}
      <ErrorMsg error={set.error ?? cycle.error} />
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th>Punto</th>
              <th>Código de obra</th>
              <th>Estándar</th>
              <th>Transporte DGA</th>
              <th>Inicio obligación</th>
            </tr>
          </thead>
          <tbody>
            {points.map((p) => (
              <tr key={p.id} data-testid="transport-row">
                <td>{p.name}</td>
                <td className="mono">{p.obraCode ?? "—"}</td>
                <td>{label("standard", p.dgaStandard)}</td>
                <td>
                  <select
                    aria-label={`Transporte DGA de ${p.name}`}
                    style={{ width: "auto" }}
                    value={p.dgaTransport}
                    disabled={set.isPending}
                    onChange={(e) =>
                      set.mutate({ pointId: p.id, transport: e.target.value as (typeof DGA_TRANSPORTS)[number] })
                    }
                  >
                    {DGA_TRANSPORTS.map((t) => (
                      <option key={t} value={t}>
                        {label("transport", t)}
                      </option>
                    ))}
                  </select>
                </td>
                <td className="small">{p.dgaGoLiveAt ? formatDgaDateTime(p.dgaGoLiveAt) : "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
