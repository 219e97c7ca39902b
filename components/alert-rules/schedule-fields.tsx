"use client";
import { Field } from "@/components/ui/field";
import { decimalText, numOrNull, strOrNull } from "@/components/ui/zod-form";
import type { RuleSchedule } from "@/domain/alert-rules/schedule";

const DAYS = ["Lun", "Mar", "Mié", "Jue", "Vie", "Sáb", "Dom"];

/** The schedule part of the rule form: only while the pump runs, a time window and weekdays (America/Santiago). */
export function ScheduleFields({ value, error }: { value: RuleSchedule | null | undefined; error?: string }) {
  return (
    <fieldset className="stack" aria-label="Horario de la regla">
      <legend>Horario (hora de Chile continental)</legend>
      <div className="form-grid">
        <label className="row" style={{ alignItems: "center" }}>
          <input type="checkbox" name="pumpOn" defaultChecked={value?.pumpOnAboveLps != null} />
          Solo con la bomba en marcha
        </label>
        <Field label="Caudal mínimo de bomba en marcha (L/s)">
          <input name="pumpOnAboveLps" inputMode="decimal" defaultValue={decimalText(value?.pumpOnAboveLps ?? 0.5)} />
        </Field>
        <Field label="Desde (HH:MM)" hint="Vacío: todo el día">
          <input name="from" placeholder="08:00" defaultValue={value?.from ?? ""} />
        </Field>
        <Field label="Hasta (HH:MM)">
          <input name="to" placeholder="20:00" defaultValue={value?.to ?? ""} />
        </Field>
      </div>
      <div className="row" role="group" aria-label="Días">
        {DAYS.map((d, i) => (
          <label key={d}>
            <input
              type="checkbox"
              name="weekdays"
              value={i + 1}
              defaultChecked={!value?.weekdays.length || value.weekdays.includes(i + 1)}
            />
            {d}
          </label>
        ))}
      </div>
      {error && <p className="field-error">{error}</p>}
    </fieldset>
  );
}

/** The schedule as the schema expects it from the form (every weekday ticked = no restriction). */
export function readSchedule(f: FormData): unknown {
  const days = f.getAll("weekdays").map(Number);
  return {
    pumpOnAboveLps: f.get("pumpOn") ? (numOrNull(f.get("pumpOnAboveLps")) ?? 0) : null,
    from: strOrNull(f.get("from")),
    to: strOrNull(f.get("to")),
    weekdays: days.length === 7 ? [] : days,
  };
}
