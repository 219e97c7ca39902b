"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Fragment, useState } from "react";
import { useTRPC } from "@/trpc/react";
import { Field } from "@/components/ui/field";
import { ErrorMsg, Loading } from "@/components/ui/states";
import { decimalText, numOrNull } from "@/components/ui/zod-form";
import { formatNumber } from "@/domain/format";
import type { BuiltinParam, BuiltinType } from "@/domain/alert-rules/builtin";
import { ActionsTh, EditToggle } from "@/components/ui/table-actions";

const SOURCE_LABEL: Record<string, string> = {
  default: "predeterminado",
  client: "ajuste del cliente",
  group: "ajuste del grupo",
  point: "ajuste del punto",
};
type Scope = "point" | "group" | "client";
type Row = {
  type: BuiltinType;
  label: string;
  text: string;
  paramDefs: BuiltinParam[];
  params: Record<string, number>;
  enabled: boolean;
  source: string;
  override: { enabled: boolean; params: Record<string, number> } | null;
};

function shown(p: BuiltinParam, v: number): string {
  const x = Math.round(v * p.scale * 100) / 100;
  const decimals = Number.isInteger(x) ? 0 : Number.isInteger(x * 10) ? 1 : 2;
  return `${formatNumber(x, decimals)}${p.unit ? ` ${p.unit}` : ""}`;
}

/**
 * The built-in anomaly rules as editable defaults: switched off or tuned for this point, its group or the whole
 * client (the most specific setting wins), with a preview on this point's last 30 days.
 */
export function BuiltinDefaults({
  clientId,
  pointId,
  group,
  canWrite,
}: {
  clientId: number;
  pointId: number;
  group: { id: number; name: string } | null;
  canWrite: boolean;
}) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [scope, setScope] = useState<Scope>("point");
  const target = {
    clientId,
    ...(scope === "point" ? { pointId } : scope === "group" && group ? { groupId: group.id } : {}),
  };
  const list = useQuery(trpc.alertDefaults.list.queryOptions(target));
  const [editing, setEditing] = useState<BuiltinType | null>(null);
  return (
    <section className="card stack" aria-labelledby="bd-title" data-testid="builtin-defaults">
      <div className="row" style={{ justifyContent: "space-between" }}>
        <h2 id="bd-title" style={{ margin: 0 }}>
          Reglas integradas
        </h2>
        <label className="row" style={{ alignItems: "center" }}>
          Ajustar para{" "}
          <select
            value={scope}
            onChange={(e) => {
              setScope(e.target.value as Scope);
              setEditing(null);
            }}
          >
            <option value="point">este punto</option>
            {group && <option value="group">el grupo «{group.name}»</option>}
            <option value="client">todos los puntos del cliente</option>
          </select>
        </label>
      </div>
      <p className="muted" style={{ margin: 0 }}>
        Alertas que SmartHydro evalúa siempre. Se pueden desactivar o ajustar; el ajuste más específico (punto, grupo,
        cliente) prevalece.
      </p>
      <ErrorMsg error={list.error} />
      {list.isLoading ? (
        <Loading what="reglas integradas" />
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th>Regla</th>
                <th>Parámetros</th>
                <th>Estado</th>
                <th>Origen</th>
                {canWrite && <ActionsTh />}
              </tr>
            </thead>
            <tbody>
              {list.data?.map((r: Row) => {
                const defs = r.params;
                const meta = r.paramDefs;
                return (
                  <Fragment key={r.type}>
                    <tr data-testid="builtin-row">
                      <td>
                        <strong>{r.label}</strong>
                        <div className="small muted">{r.text}</div>
                      </td>
                      <td className="small">
                        {meta.length ? meta.map((p) => `${p.label}: ${shown(p, defs[p.key] ?? 0)}`).join(" · ") : "—"}
                      </td>
                      <td>
                        <span className={`badge ${r.enabled ? "ok" : ""}`}>{r.enabled ? "Activa" : "Desactivada"}</span>
                      </td>
                      <td className="small">{SOURCE_LABEL[r.source] ?? r.source}</td>
                      {canWrite && (
                        <td>
                          <EditToggle
                            open={editing === r.type}
                            onToggle={() => setEditing(editing === r.type ? null : r.type)}
                            label="Ajustar"
                          />
                        </td>
                      )}
                    </tr>
                    {editing === r.type && (
                      <tr className="edit-row">
                        <td colSpan={99}>
                          <BuiltinForm
                            row={r}
                            meta={meta}
                            values={defs}
                            target={target}
                            pointId={pointId}
                            onDone={() => {
                              setEditing(null);
                              void qc.invalidateQueries({ queryKey: trpc.alertDefaults.pathKey() });
                            }}
                          />
                        </td>
                      </tr>
                    )}
                  </Fragment>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function BuiltinForm({
  row,
  meta,
  values,
  target,
  pointId,
  onDone,
}: {
  row: Row;
  meta: BuiltinParam[];
  values: Record<string, number>;
  target: { clientId: number; pointId?: number; groupId?: number };
  pointId: number;
  onDone: () => void;
}) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const set = useMutation(trpc.alertDefaults.set.mutationOptions());
  const reset = useMutation(trpc.alertDefaults.reset.mutationOptions());
  const [preview, setPreview] = useState<{ sentence: string; shadowedBy: string | null } | null>(null);
  const [error, setError] = useState<string | null>(null);
  function read(form: HTMLFormElement) {
    const f = new FormData(form);
    const params: Record<string, number> = {};
    for (const p of meta) {
      const v = numOrNull(f.get(p.key));
      if (v !== null) params[p.key] = v / p.scale;
    }
    return { ...target, type: row.type, enabled: f.get("enabled") === "on", params };
  }
  async function run(fn: () => Promise<unknown>) {
    setError(null);
    try {
      await fn();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  }
  return (
    <form
      className="stack"
      aria-label={`Ajustar ${row.label}`}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const input = read(e.currentTarget);
        void run(async () => {
          await set.mutateAsync(input);
          onDone();
        });
      }}
    >
      <label>
        <input type="checkbox" name="enabled" defaultChecked={row.enabled} /> Activa
      </label>
      {meta.length > 0 && (
        <div className="form-grid">
          {meta.map((p) => (
            <Field key={p.key} label={`${p.label}${p.unit ? ` (${p.unit})` : ""}`} hint={`Entre ${p.min} y ${p.max}`}>
              <input
                name={p.key}
                inputMode="decimal"
                defaultValue={decimalText(Math.round((values[p.key] ?? 0) * p.scale * 100) / 100)}
              />
            </Field>
          ))}
        </div>
      )}
      <div className="row">
        <button
          type="button"
          className="secondary"
          onClick={(e) => {
            const input = read(e.currentTarget.form!);
            void run(async () => {
              const r = await qc.fetchQuery(
                trpc.alertDefaults.preview.queryOptions({ ...input, previewPointId: pointId }),
              );
              setPreview(r);
            });
          }}
        >
          Probar en los últimos 30 días
        </button>
        <button type="submit" disabled={set.isPending}>
          Guardar ajuste
        </button>
        {row.override && (
          <button
            type="button"
            className="secondary"
            onClick={() =>
              void run(async () => {
                await reset.mutateAsync({ ...target, type: row.type });
                onDone();
              })
            }
          >
            Volver al valor heredado
          </button>
        )}
      </div>
      {preview && (
        <p role="status" className="notice" data-testid="builtin-preview">
          {preview.sentence}
          {preview.shadowedBy && ` En este punto prevalece el ${SOURCE_LABEL[preview.shadowedBy]}.`}
        </p>
      )}
      <ErrorMsg error={error ? new Error(error) : null} />
    </form>
  );
}
