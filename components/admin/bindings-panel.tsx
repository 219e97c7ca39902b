"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/trpc/react";
import { label } from "@/domain/labels";
import { VARIABLE_LABEL, unitWord } from "@/domain/i18n/labels";
import { RAW_UNITS } from "@/domain/measurements/types";
import { Field } from "@/components/ui/field";
import { formatNumber } from "@/domain/format";
import { ErrorMsg, Loading } from "@/components/ui/states";

type Variable = "flow" | "totalizer" | "level";
const VAR_LABEL: Record<Variable, string> = {
  flow: VARIABLE_LABEL.flow,
  totalizer: VARIABLE_LABEL.totalizer,
  level: VARIABLE_LABEL.level,
};
const DEFAULT_UNIT: Record<Variable, (typeof RAW_UNITS)[number]> = { flow: "L/s", totalizer: "m3", level: "m" };

/** A point's device bindings: which provider account and device feed it, and how keys map to variables. */
export function BindingsPanel({
  pointId,
  clientId,
  canWrite,
}: {
  pointId: number;
  clientId: number;
  canWrite: boolean;
}) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const bindings = useQuery(trpc.providers.listBindings.queryOptions({ id: pointId }));
  const accounts = useQuery({ ...trpc.providers.listAccounts.queryOptions({}), enabled: canWrite });
  const invalidate = () => qc.invalidateQueries({ queryKey: trpc.providers.pathKey() });
  const create = useMutation(trpc.providers.createBinding.mutationOptions({ onSuccess: invalidate }));
  const remove = useMutation(trpc.providers.deleteBinding.mutationOptions({ onSuccess: invalidate }));
  const [vars, setVars] = useState<
    { variable: Variable; key: string; unit: (typeof RAW_UNITS)[number]; scale: number }[]
  >([{ variable: "flow", key: "", unit: "L/s", scale: 1 }]);
  const [err, setErr] = useState<string | null>(null);
  const usable = (accounts.data ?? []).filter((a) => a.clientId == null || a.clientId === clientId);

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const deviceRef = String(f.get("deviceRef") ?? "").trim();
    if (!deviceRef || vars.some((v) => !v.key.trim()))
      return setErr("Indique el dispositivo y la clave de cada variable.");
    setErr(null);
    await create.mutateAsync({
      id: pointId,
      accountId: Number(f.get("accountId")),
      deviceRef,
      pollIntervalSec: Number(f.get("poll") || 300),
      variables: vars,
    });
    e.currentTarget?.reset();
  }

  if (bindings.isLoading) return <Loading what="vinculaciones" />;
  return (
    <div className="stack">
      <ErrorMsg error={bindings.error ?? remove.error} />
      {bindings.data?.length === 0 && <p className="muted">Este punto no está vinculado a ningún dispositivo.</p>}
      {bindings.data?.map((b) => (
        <div key={b.id} className="card" data-testid="binding">
          <div className="row" style={{ justifyContent: "space-between" }}>
            <strong>
              {label("provider", b.account.kind)} · {b.account.name}
            </strong>
            <span className={`badge ${b.active ? "ok" : ""}`}>{b.active ? "Activa" : "Inactiva"}</span>
          </div>
          <dl className="props small" style={{ marginTop: ".5rem" }}>
            <dt>Dispositivo</dt>
            <dd className="mono">{b.deviceRef}</dd>
            <dt>Consulta cada</dt>
            <dd>{b.pollIntervalSec} s</dd>
            <dt>Variables</dt>
            <dd>
              {b.variables.map((v) => (
                <div key={v.variable + v.key}>
                  {VAR_LABEL[v.variable as Variable] ?? v.variable}: clave <code>{v.key}</code> en {unitWord(v.unit)}
                  {v.scale !== 1 ? ` × ${formatNumber(v.scale, 4).replace(/,?0+$/, "")}` : ""}
                </div>
              ))}
            </dd>
          </dl>
          {canWrite && b.active && (
            <button
              className="secondary small"
              style={{ marginTop: ".5rem" }}
              onClick={() => remove.mutate({ bindingId: b.id })}
            >
              Desactivar vinculación
            </button>
          )}
        </div>
      ))}
      {canWrite && (
        <form onSubmit={onSubmit} className="card stack" aria-label="Nueva vinculación">
          <h3>Vincular un dispositivo</h3>
          <div className="form-grid">
            <Field label="Cuenta de proveedor">
              <select id={`b${pointId}-acc`} name="accountId" required>
                {usable.map((a) => (
                  <option key={a.id} value={a.id}>
                    {a.name} ({label("provider", a.kind)})
                  </option>
                ))}
              </select>
            </Field>
            <Field label="Referencia del dispositivo">
              <input id={`b${pointId}-dev`} name="deviceRef" />
            </Field>
            <Field label="Consulta cada (s)">
              <input id={`b${pointId}-poll`} name="poll" type="number" min={30} max={86400} defaultValue={300} />
            </Field>
          </div>
          {vars.map((v, i) => (
            <div key={i} className="row">
              <select
                aria-label={`Variable ${i + 1}`}
                style={{ width: "auto" }}
                value={v.variable}
                onChange={(e) =>
                  setVars(
                    vars.map((x, j) =>
                      j === i
                        ? { ...x, variable: e.target.value as Variable, unit: DEFAULT_UNIT[e.target.value as Variable] }
                        : x,
                    ),
                  )
                }
              >
                {(Object.keys(VAR_LABEL) as Variable[]).map((k) => (
                  <option key={k} value={k}>
                    {VAR_LABEL[k]}
                  </option>
                ))}
              </select>
              <input
                aria-label={`Clave del proveedor de la variable ${i + 1}`}
                placeholder="clave (ej. caudal)"
                style={{ width: 180 }}
                value={v.key}
                onChange={(e) => setVars(vars.map((x, j) => (j === i ? { ...x, key: e.target.value } : x)))}
              />
              <select
                aria-label={`Unidad de la variable ${i + 1}`}
                style={{ width: "auto" }}
                value={v.unit}
                onChange={(e) =>
                  setVars(
                    vars.map((x, j) => (j === i ? { ...x, unit: e.target.value as (typeof RAW_UNITS)[number] } : x)),
                  )
                }
              >
                {RAW_UNITS.map((u) => (
                  <option key={u} value={u}>
                    {unitWord(u)}
                  </option>
                ))}
              </select>
              {vars.length > 1 && (
                <button
                  type="button"
                  className="secondary small"
                  onClick={() => setVars(vars.filter((_, j) => j !== i))}
                >
                  Quitar
                </button>
              )}
            </div>
          ))}
          <div className="row">
            <button
              type="button"
              className="secondary small"
              onClick={() => setVars([...vars, { variable: "totalizer", key: "", unit: "m3", scale: 1 }])}
            >
              Agregar variable
            </button>
          </div>
          {err && (
            <p role="alert" className="error">
              {err}
            </p>
          )}
          <ErrorMsg error={create.error} />
          <button type="submit" disabled={create.isPending}>
            Vincular
          </button>
        </form>
      )}
    </div>
  );
}
