"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/trpc/react";
import { Field } from "@/components/ui/field";
import { ErrorMsg } from "@/components/ui/states";
import { decimalText, numOrNull, serverFieldErrors, validate, type FieldErrors } from "@/components/ui/zod-form";
import {
  AlertRuleSpecSchema,
  RULE_CHANNELS,
  RULE_CONDITIONS,
  RULE_UNITS,
  RULE_VARIABLES,
  canonicalThreshold,
  type AlertRuleSpec,
} from "@/domain/alert-rules/rule";
import type { RuleSchedule } from "@/domain/alert-rules/schedule";
import { CHANNEL_LABEL, SEVERITY_LABEL } from "@/components/alerts/labels";
import { PreviewChart } from "./preview-chart";
import { ScheduleFields, readSchedule } from "./schedule-fields";

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

/** A stored rule as the editor receives it. */
export interface EditableRule extends Omit<AlertRuleSpec, "schedule"> {
  id: number;
  pointId: number | null;
  groupId: number | null;
  schedule: unknown;
}

type Preview = {
  fires: number;
  sentence: string;
  episodes: { firedAt: Date | string; resolvedAt: Date | string | null }[];
  from: Date | string;
  to: Date | string;
};

/**
 * Creates or edits a rule: target (this point, one group, every point of the client), condition, schedule,
 * and "Probar en los últimos 30 días" on this point before saving.
 */
export function RuleEditor({
  clientId,
  pointId,
  groups,
  rule,
  onDone,
}: {
  clientId: number;
  pointId: number;
  groups: { id: number; name: string }[];
  rule?: EditableRule;
  onDone: (msg: string) => void;
}) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const invalidate = { onSuccess: () => qc.invalidateQueries({ queryKey: trpc.alertRules.pathKey() }) };
  const create = useMutation(trpc.alertRules.create.mutationOptions(invalidate));
  const update = useMutation(trpc.alertRules.update.mutationOptions(invalidate));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [spec, setSpec] = useState<AlertRuleSpec | null>(null);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [busy, setBusy] = useState(false);
  const r = rule;
  const target = r ? (r.pointId ? "point" : r.groupId ? `group:${r.groupId}` : "client") : "point";

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
      schedule: readSchedule(f),
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
    const t = String(new FormData(e.currentTarget).get("target") ?? "point");
    const dest = {
      pointId: t === "point" ? pointId : null,
      groupId: t.startsWith("group:") ? Number(t.slice(6)) : null,
    };
    try {
      if (r) await update.mutateAsync({ id: r.id, ...s, ...dest });
      else await create.mutateAsync({ clientId, ...s, ...dest });
      onDone(r ? `Regla «${s.name}» actualizada.` : `Regla «${s.name}» creada.`);
    } catch (err) {
      setErrors(serverFieldErrors(err));
    }
  }
  const saveError =
    (create.error ?? update.error) && !Object.keys(errors).length ? (create.error ?? update.error) : null;
  return (
    <form
      onSubmit={onSave}
      noValidate
      className="stack"
      aria-label={r ? `Editar regla ${r.name}` : "Nueva regla de alerta"}
    >
      <div className="form-grid">
        <Field label="Nombre" error={errors.name}>
          <input name="name" defaultValue={r?.name ?? "Nivel bajo"} />
        </Field>
        <Field label="Aplica a">
          <select name="target" defaultValue={target}>
            <option value="point">Este punto</option>
            {groups.map((g) => (
              <option key={g.id} value={`group:${g.id}`}>
                Grupo «{g.name}»
              </option>
            ))}
            <option value="client">Todos los puntos del cliente</option>
          </select>
        </Field>
        <Field label="Variable" error={errors.variable}>
          <select name="variable" defaultValue={r?.variable ?? "level"}>
            {RULE_VARIABLES.map((v) => (
              <option key={v} value={v}>
                {VARIABLE_LABEL[v]}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Condición" error={errors.condition}>
          <select name="condition" defaultValue={r?.condition ?? "below"}>
            {RULE_CONDITIONS.map((c) => (
              <option key={c} value={c}>
                {CONDITION_LABEL[c]}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Umbral" error={errors.threshold}>
          <input name="threshold" inputMode="decimal" defaultValue={decimalText(r?.threshold ?? 12)} />
        </Field>
        <Field label="Unidad" error={errors.unit}>
          <select name="unit" defaultValue={r?.unit ?? "m"}>
            {RULE_UNITS.map((u) => (
              <option key={u} value={u}>
                {u.replace("m3", "m³")}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Duración (min)" error={errors.durationMin} hint="Tiempo que debe sostenerse la condición">
          <input name="durationMin" inputMode="numeric" defaultValue={String(r?.durationMin ?? 30)} />
        </Field>
        <Field
          label="Histéresis"
          error={errors.hysteresis}
          hint="Margen para dar por resuelta la alerta (misma unidad)"
        >
          <input name="hysteresis" inputMode="decimal" defaultValue={decimalText(r?.hysteresis ?? 0.5)} />
        </Field>
        <Field label="Severidad" error={errors.severity}>
          <select name="severity" defaultValue={r?.severity ?? "warning"}>
            {["info", "warning", "critical"].map((s) => (
              <option key={s} value={s}>
                {SEVERITY_LABEL[s]}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <ScheduleFields value={(r?.schedule as RuleSchedule | null) ?? null} error={errors.schedule} />
      <fieldset className="row">
        <legend>Canales</legend>
        {RULE_CHANNELS.map((c) => (
          <label key={c}>
            <input
              type="checkbox"
              name="channels"
              value={c}
              defaultChecked={r ? r.channels.includes(c) : c === "in_app"}
            />
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
        <button type="submit" disabled={create.isPending || update.isPending}>
          {r ? "Guardar cambios" : "Guardar regla"}
        </button>
        {r && (
          <button type="button" className="secondary" onClick={() => onDone("")}>
            Cancelar
          </button>
        )}
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
      <ErrorMsg error={saveError} />
    </form>
  );
}
