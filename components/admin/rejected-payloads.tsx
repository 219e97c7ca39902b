"use client";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/trpc/react";
import { ErrorMsg, Loading } from "@/components/ui/states";
import { formatDateTime } from "@/domain/format";

const REASON_LABEL: Record<string, string> = {
  decode_failed: "Decodificador falló (sin decoded_payload)",
  simulated: "Mensaje simulado desde la consola",
  not_uplink: "Evento sin medición (join, ack…)",
  invalid_records: "Registros sin datos utilizables",
  no_readings: "Envío sin lecturas",
  unknown_device: "Dispositivo sin vinculación",
  invalid_envelope: "Formato no reconocido",
  not_json: "Cuerpo no es JSON",
  push_unsupported: "El proveedor no admite envío",
};

/** Payloads of one account kept without readings, newest first, with the reason and the start of the body. */
export function RejectedPayloads({ accountId }: { accountId: number }) {
  const trpc = useTRPC();
  const q = useQuery(trpc.providers.rejectedPayloads.queryOptions({ id: accountId, limit: 50 }));
  if (q.isLoading) return <Loading what="payloads rechazados" />;
  if (q.error) return <ErrorMsg error={q.error} />;
  const counts = Object.entries(q.data?.countsByReason ?? {});
  return (
    <section aria-label="Payloads rechazados" data-testid="rejected-payloads">
      <h3>Payloads rechazados</h3>
      <p className="small muted">
        Envíos bien formados que no traen lecturas: se responden con éxito al proveedor (para que no desactive el
        webhook) y se guardan aquí.
        {counts.length > 0 && (
          <> Últimos 7 días: {counts.map(([r, n]) => `${REASON_LABEL[r] ?? r}: ${n}`).join(" · ")}.</>
        )}
      </p>
      {q.data?.items.length === 0 ? (
        <p>Sin payloads rechazados.</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th>Recibido</th>
                <th>Motivo</th>
                <th>Dispositivo</th>
                <th>Detalle</th>
                <th>Contenido (inicio)</th>
              </tr>
            </thead>
            <tbody>
              {q.data?.items.map((i) => (
                <tr key={i.id}>
                  <td className="small">{formatDateTime(i.receivedAt)}</td>
                  <td>{REASON_LABEL[i.reason ?? ""] ?? i.reason ?? "—"}</td>
                  <td className="mono small">{i.deviceRef ?? "—"}</td>
                  <td className="small">{i.message ?? "—"}</td>
                  <td className="mono small" style={{ maxWidth: 360, overflowWrap: "anywhere" }}>
                    {i.bodyPreview}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
