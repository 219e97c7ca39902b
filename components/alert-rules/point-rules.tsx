"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/trpc/react";
import { Field } from "@/components/ui/field";
import { ErrorMsg, Loading } from "@/components/ui/states";
import { numOrNull, serverFieldErrors, validate, type FieldErrors } from "@/components/ui/zod-form";
import {
  AlertRuleSpecSchema,
  RULE_CHANNELS,
  RULE_CONDITIONS,
  RULE_UNITS,
  RULE_VARIABLES,
  canonicalThreshold,
  type AlertRuleSpec,
} from "@/domain/alert-rules/rule";
import { CHANNEL_LABEL, SEVERITY_LABEL } from "@/components/alerts/labels";
import { PreviewChart } from "./preview-chart";

const VARIABLE_LABEL: Record<string, string> = {
  flow: "Caudal",
  level: "Nivel",
  water_table: "Nivel freático",
  totalizer: "Totalizador",
};
const CONDITION_LABEL: Record<string, string> = {
  above: "sobre el umbral",
  below: "bajo el umbral",
  rate_above: "sube más rápido que (por hora)",
  rate_below: "cambia menos que (por hora)",
  no_data: "sin datos",
};

type Preview = {
  fires: number;
  sentence: string;
  episodes: { firedAt: Date | string; resolvedAt: Date | string | null }[];
  from: Date | string;
  to: Date | string;
};

/** A point's user-tuned rules and an editor that previews a rule on the last 30 days before saving it. */
export function PointRules({ pointId, clientId, canWrite }: { pointId: number; clientId: number; canWrite: boolean }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const rules = useQuery(trpc.alertRules.list.queryOptions({ clientId, pointId }));
  const invalidate = { onSuccess: () => qc.invalidateQueries({ queryKey: trpc.alertRules.pathKey() }) };
  const create = useMutation(trpc.alertRules.create.mutationOptions(invalidate));
  const del = useMutation(trpc.alertRules.delete.mutationOptions(invalidate));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [spec, setSpec] = useState<AlertRuleSpec | null>(null);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [busy, setBusy] = useState(false);

  function read(form: HTMLFormElement): AlertRuleSpec | null {
    const f = new FormData(form);
    const v = validate(AlertRuleSpecSchema, {
      name: f.get("name"),
      variable: f.get("variable"),
      condition: f.get("condition"),
      threshold: numOrNull(f.get("threshold")) ?? 0,
      unit: f.get("unit"),
      durationMin: numOrNull(f.get("durationMin")) ?? 0,
      hysteresis: numOrNull(f.get("hysteresis")) ?? 0,
      severity: f.get("severity"),
      channels: f.getAll("channels"),
    });
    if (!v.ok) {
      setErrors(v.errors);
      return null;
    }
    setErrors({});
    return v.data;
  }
  async function onPreview(form: HTMLFormElement | null) {
    const s = form && read(form);
    if (!s) return;
    setBusy(true);
    try {
      setSpec(s);
      setPreview(await qc.fetchQuery(trpc.alertRules.preview.queryOptions({ id: pointId, rule: s })));
    } catch (err) {
      setErrors(serverFieldErrors(err));
    } finally {
      setBusy(false);
    }
  }
  async function onSave(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const s = read(e.currentTarget);
    if (!s) return;
    try {
      await create.mutateAsync({ clientId, pointId, ...s });
      setPreview(null);
      e.currentTarget.reset();
    } catch (err) {
      setErrors(serverFieldErrors(err));
    }
  }
  return (
    <section className="card stack" aria-labelledby="ar-title" data-testid="point-rules">
      <h2 id="ar-title" style={{ margin: 0 }}>
        Reglas de alerta del punto
      </h2>
      <ErrorMsg error={rules.error ?? del.error} />
      {rules.isLoading ? (
        <Loading what="reglas" />
      ) : rules.data?.length ? (
        <ul>
          {rules.data.map((r) => (
            <li key={r.id} data-testid="alert-rule">
              <strong>{r.name}</strong>: {r.text} · {SEVERITY_LABEL[r.severity] ?? r.severity} ·{" "}
              {r.channels.map((c) => CHANNEL_LABEL[c] ?? c).join(", ")}
              {r.pointId === null ? " (todos los puntos)" : ""}
              {canWrite && (
                <>
                  {" "}
                  <button className="link" onClick={() => del.mutate({ id: r.id })}>
                    Eliminar
                  </button>
                </>
              )}
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">Sin reglas propias; las alertas integradas siguen activas.</p>
      )}
      {canWrite && (
        <form onSubmit={onSave} noValidate className="stack" aria-label="Nueva regla de alerta">
          <div className="form-grid">
            <Field label="Nombre" error={errors.name}>
              <input name="name" defaultValue="Nivel bajo" />
            </Field>
            <Field label="Variable" error={errors.variable}>
              <select name="variable" defaultValue="level">
                {RULE_VARIABLES.map((v) => (
                  <option key={v} value={v}>
                    {VARIABLE_LABEL[v]}
                  </option>
                ))}
              </select>
            </Field>
            <Field label="Condición" error={errors.condition}>
              <select name="condition" defaultValue="below">
                {RULE_CONDITIONS.map((c) => (
                  <option key={c} value={c}>
                    {CONDITION_LABEL[c]}
                  </option>
                ))}
              </select>
            </Field>
            <Field label="Umbral" error={errors.threshold}>
              <input name="threshold" inputMode="decimal" defaultValue="12" />
            </Field>
            <Field label="Unidad" error={errors.unit}>
              <select name="unit" defaultValue="m">
                {RULE_UNITS.map((u) => (
                  <option key={u} value={u}>
                    {u.replace("m3", "m³")}
                  </option>
                ))}
              </select>
            </Field>
            <Field label="Duración (min)" error={errors.durationMin} hint="Tiempo que debe sostenerse la condición">
              <input name="durationMin" inputMode="numeric" defaultValue="30" />
            </Field>
            <Field
              label="Histéresis"
              error={errors.hysteresis}
              hint="Margen para dar por resuelta la alerta (misma unidad)"
            >
              <input name="hysteresis" inputMode="decimal" defaultValue="0,5" />
            </Field>
            <Field label="Severidad" error={errors.severity}>
              <select name="severity" defaultValue="warning">
                {["info", "warning", "critical"].map((s) => (
                  <option key={s} value={s}>
                    {SEVERITY_LABEL[s]}
                  </option>
                ))}
              </select>
            </Field>
          </div>
          <fieldset className="row">
            <legend>Canales</legend>
            {RULE_CHANNELS.map((c) => (
              <label key={c}>
                <input type="checkbox" name="channels" value={c} defaultChecked={c === "in_app"} />
                {CHANNEL_LABEL[c]}
              </label>
            ))}
          </fieldset>
          {errors.channels && <p className="field-error">{errors.channels}</p>}
          <p className="hint">
            Correo y webhook llegan a los destinatarios de las reglas de notificación suscritas a «Regla de alerta
            personalizada».
          </p>
          <div className="row">
            <button
              type="button"
              className="secondary"
              disabled={busy}
              onClick={(e) => void onPreview(e.currentTarget.form)}
            >
              Probar en los últimos 30 días
            </button>
            <button type="submit" disabled={create.isPending}>
              Guardar regla
            </button>
          </div>
          {preview && spec && (
            <div role="status" className={`notice ${preview.fires > 10 ? "warn" : ""}`} data-testid="rule-preview">
              <p style={{ margin: 0 }}>{preview.sentence}</p>
              <PreviewChart
                pointId={pointId}
                variable={spec.variable}
                thresholdCanonical={canonicalThreshold(spec).threshold}
                episodes={preview.episodes}
                from={new Date(preview.from)}
                to={new Date(preview.to)}
              />
            </div>
          )}
          <ErrorMsg error={create.error && !Object.keys(errors).length ? create.error : null} />
        </form>
      )}
    </section>
  );
}
