"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTRPC } from "@/trpc/react";
import { ErrorMsg } from "@/components/ui/states";
import { formatDateTime, formatNumber } from "@/domain/format";

const num = (v: FormDataEntryValue | null): number | null =>
  v === null || String(v).trim() === "" ? null : Number(String(v).replace(",", "."));

/** Staff declare a replaced totalizer; consumption across the change is right at once (no confirmation window). */
export function MeterChangeForm({ pointId }: { pointId: number }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const list = useQuery(trpc.points.meterChanges.queryOptions({ id: pointId }));
  const record = useMutation(
    trpc.points.recordMeterChange.mutationOptions({
      onSuccess: () => qc.invalidateQueries({ queryKey: trpc.points.meterChanges.queryKey({ id: pointId }) }),
    }),
  );
  const [done, setDone] = useState<string | null>(null);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const at = new Date(String(f.get("at"))).toISOString();
    const r = await record.mutateAsync({
      id: pointId,
      at,
      oldFinalM3: num(f.get("oldFinal")),
      newInitialM3: num(f.get("newInitial")) ?? 0,
      note: String(f.get("note") ?? "") || undefined,
    });
    setDone(`Cambio registrado; ${r.replayedPayloads} envío(s) se reprocesan en unos segundos.`);
  };
  return (
    <section className="card section" aria-labelledby="meter-title">
      <h2 id="meter-title">Cambio de medidor</h2>
      <p className="small muted">
        Registre el instante del reemplazo y la lectura inicial del medidor nuevo (y, si la conoce, la final del
        anterior). El consumo queda correcto de inmediato.
      </p>
      <form onSubmit={(e) => void submit(e)} className="form-grid">
        <label>
          Instante del cambio
          <input name="at" type="datetime-local" required />
        </label>
        <label>
          Lectura final del medidor anterior (m³, opcional)
          <input name="oldFinal" inputMode="decimal" />
        </label>
        <label>
          Lectura inicial del medidor nuevo (m³)
          <input name="newInitial" inputMode="decimal" required />
        </label>
        <label>
          Nota
          <input name="note" maxLength={500} />
        </label>
        <button type="submit" disabled={record.isPending}>
          Registrar cambio
        </button>
      </form>
      <ErrorMsg error={record.error} />
      {done && (
        <p role="status" className="notice">
          {done}
        </p>
      )}
      {list.data && list.data.length > 0 && (
        <ul className="small">
          {list.data.map((m) => (
            <li key={m.id}>
              {formatDateTime(m.at)}: inicial {formatNumber(m.newInitialM3, 2)} m³
              {m.oldFinalM3 != null ? `, final anterior ${formatNumber(m.oldFinalM3, 2)} m³` : ""}
              {m.note ? ` — ${m.note}` : ""}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
