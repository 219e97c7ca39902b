"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Fragment, useState } from "react";
import { useTRPC } from "@/trpc/react";
import { Field } from "@/components/ui/field";
import { ErrorMsg, Loading } from "@/components/ui/states";
import { decimalText, numOrNull } from "@/components/ui/zod-form";
import { formatDgaDateTime, formatNumber } from "@/domain/format";
import { reasonText } from "./review-reasons";
import { ReviewContext } from "./review-context";
import { ActionsTh } from "@/components/ui/table-actions";

/** Form text of a value rounded as the DGA receives it (flow and level 2 decimals, totalizer truncated). */
const rounded = (n: number | null, decimals: number) =>
  decimalText(n == null ? null : decimals === 0 ? Math.trunc(n) : Number(n.toFixed(decimals)));

interface ReviewRow {
  id: string;
  pointId: number;
  pointName: string;
  obraCode: string | null;
  slotAt: Date;
  reasons: string[] | null;
  flowLps: number | null;
  totalizerM3: number | null;
  levelM: number | null;
  heightCm: number | null;
}

/** Slots the filler could not complete alone: accept with corrected values and a required note, or discard. */
export function ReviewQueue({ clientId, canReview }: { clientId: number; canReview: boolean }) {
  const trpc = useTRPC();
  const q = useQuery(trpc.compliance.reviewQueue.queryOptions({ clientId }));
  const [open, setOpen] = useState<string | null>(null);
  const [msg, setMsg] = useState<string | null>(null);
  if (q.isLoading) return <Loading what="cola de revisión" />;
  const rows = (q.data ?? []) as ReviewRow[];
  return (
    <div className="stack">
      <ErrorMsg error={q.error} />
      {msg && (
        <p role="status" className="notice">
          {msg}
        </p>
      )}
      {rows.length === 0 && <p className="muted">No hay reportes pendientes de revisión.</p>}
      {rows.length > 0 && !canReview && (
        <p className="hint" style={{ margin: 0 }}>
          Estas horas quedaron retenidas antes de enviarse a la DGA porque sus datos necesitan una revisión humana. Lo
          resuelve el equipo de SmartHydro; abra «Ver detalle» para ver el motivo y las lecturas.
        </p>
      )}
      {rows.length > 0 && (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th>Punto</th>
                <th>Hora medida (UTC-4, DGA)</th>
                <th>Motivo</th>
                <th className="num">Caudal (L/s)</th>
                <th className="num">Totalizador (m³)</th>
                <th className="num">Nivel (m)</th>
                <ActionsTh />
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <Fragment key={r.id}>
                  <tr data-testid="review-row">
                    <td>
                      {r.pointName}
                      <div className="muted small mono">{r.obraCode}</div>
                    </td>
                    <td className="nowrap">{formatDgaDateTime(r.slotAt)}</td>
                    <td>{reasonText(r.reasons)}</td>
                    <td className="num">{formatNumber(r.flowLps, 2)}</td>
                    <td className="num">{formatNumber(r.totalizerM3, 0)}</td>
                    <td className="num">{formatNumber(r.levelM, 2)}</td>
                    <td>
                      <button
                        className="secondary small"
                        aria-expanded={open === r.id}
                        onClick={() => setOpen(open === r.id ? null : r.id)}
                      >
                        {open === r.id ? "Cerrar" : canReview ? "Revisar" : "Ver detalle"}
                      </button>
                    </td>
                  </tr>
                  {open === r.id && (
                    <tr className="edit-row">
                      <td colSpan={99}>
                        <div className="stack">
                          <ReviewContext slot={r} clientId={clientId} canReview={canReview} />
                          {canReview && (
                            <ReviewForm
                              row={r}
                              onDone={(m) => {
                                setOpen(null);
                                setMsg(m);
                              }}
                            />
                          )}
                        </div>
                      </td>
                    </tr>
                  )}
                </Fragment>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

function ReviewForm({ row, onDone }: { row: ReviewRow; onDone: (msg: string) => void }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [err, setErr] = useState<Record<string, string>>({});
  const opts = { onSuccess: () => qc.invalidateQueries({ queryKey: trpc.compliance.pathKey() }) };
  const accept = useMutation(trpc.compliance.accept.mutationOptions(opts));
  const discard = useMutation(trpc.compliance.discard.mutationOptions(opts));

  function read(form: HTMLFormElement) {
    const f = new FormData(form);
    const note = String(f.get("note") ?? "").trim();
    const values = {
      flowLps: numOrNull(f.get("flowLps")),
      totalizerM3: numOrNull(f.get("totalizerM3")),
      levelM: numOrNull(f.get("levelM")),
    };
    const e: Record<string, string> = {};
    if (note.length < 3) e.note = "La nota es obligatoria (mínimo 3 caracteres).";
    for (const [k, v] of Object.entries(values)) if (v != null && Number.isNaN(v)) e[k] = "Número inválido";
    setErr(e);
    return Object.keys(e).length ? null : { note, values };
  }
  const p = `rv${row.id}`;
  return (
    <form
      className="card stack"
      noValidate
      aria-label={`Revisar reporte de ${row.pointName}`}
      onSubmit={async (e) => {
        e.preventDefault();
        const v = read(e.currentTarget);
        if (!v) return;
        await accept.mutateAsync({ slotId: Number(row.id), note: v.note, values: v.values });
        onDone("Reporte aceptado; se enviará con los valores corregidos.");
      }}
    >
      <div className="form-grid">
        <Field label="Caudal (L/s)" error={err.flowLps}>
          <input id={`${p}-f`} name="flowLps" inputMode="decimal" defaultValue={rounded(row.flowLps, 2)} />
        </Field>
        <Field label="Totalizador (m³)" error={err.totalizerM3}>
          <input id={`${p}-t`} name="totalizerM3" inputMode="decimal" defaultValue={rounded(row.totalizerM3, 0)} />
        </Field>
        <Field label="Nivel (m)" error={err.levelM}>
          <input id={`${p}-l`} name="levelM" inputMode="decimal" defaultValue={rounded(row.levelM, 2)} />
        </Field>
        <Field label="Nota (obligatoria)" error={err.note} className="full">
          <textarea id={`${p}-n`} name="note" rows={2} required />
        </Field>
      </div>
      <ErrorMsg error={accept.error ?? discard.error} />
      <div className="row">
        <button type="submit" disabled={accept.isPending}>
          Aceptar y enviar
        </button>
        <button
          type="button"
          className="danger"
          disabled={discard.isPending}
          onClick={async (e) => {
            const v = read(e.currentTarget.form!);
            if (!v) return;
            await discard.mutateAsync({ slotId: Number(row.id), note: v.note });
            onDone("Reporte descartado.");
          }}
        >
          Descartar
        </button>
      </div>
    </form>
  );
}
