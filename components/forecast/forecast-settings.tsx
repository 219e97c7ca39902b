"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/trpc/react";
import { Field } from "@/components/ui/field";
import { ErrorMsg } from "@/components/ui/states";
import { decimalText, numOrNull, serverFieldErrors, validate, type FieldErrors } from "@/components/ui/zod-form";
import { PointConfigSchema } from "@/domain/schemas/point";
import { MONTHS_ES } from "@/domain/analytics/period";

const SettingsSchema = PointConfigSchema.pick({
  waterYearStartMonth: true,
  pumpIntakeDepthM: true,
  forecastLeadDays: true,
});

/** The three settings the forecasts read: water-year start, pump intake depth and alert lead time. */
export function ForecastSettings({
  point,
  isWell,
}: {
  point: { id: number; waterYearStartMonth: number; pumpIntakeDepthM: number | null; forecastLeadDays: number };
  isWell: boolean;
}) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [errors, setErrors] = useState<FieldErrors>({});
  const [saved, setSaved] = useState(false);
  const update = useMutation(
    trpc.points.updateConfig.mutationOptions({
      onSuccess: () =>
        Promise.all([
          qc.invalidateQueries({ queryKey: trpc.forecast.pathKey() }),
          qc.invalidateQueries({ queryKey: trpc.points.pathKey() }),
        ]),
    }),
  );
  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const v = validate(SettingsSchema, {
      waterYearStartMonth: numOrNull(f.get("waterYearStartMonth")) ?? undefined,
      pumpIntakeDepthM: isWell ? numOrNull(f.get("pumpIntakeDepthM")) : undefined,
      forecastLeadDays: numOrNull(f.get("forecastLeadDays")) ?? undefined,
    });
    setSaved(false);
    if (!v.ok) return setErrors(v.errors);
    setErrors({});
    try {
      await update.mutateAsync({ id: point.id, ...v.data });
      setSaved(true);
    } catch (err) {
      setErrors(serverFieldErrors(err));
    }
  }
  return (
    <form
      className="card stack"
      onSubmit={onSubmit}
      noValidate
      aria-label="Parámetros de la proyección"
      data-testid="forecast-settings"
    >
      <h2 style={{ margin: 0 }}>Parámetros de la proyección</h2>
      <div className="form-grid">
        <Field label="Inicio del año hidrológico" error={errors.waterYearStartMonth}>
          <select id="fc-wy" name="waterYearStartMonth" defaultValue={point.waterYearStartMonth}>
            {MONTHS_ES.map((m, i) => (
              <option key={m} value={i + 1}>
                {m}
              </option>
            ))}
          </select>
        </Field>
        {isWell && (
          <Field
            label="Profundidad de la bomba (m)"
            error={errors.pumpIntakeDepthM}
            hint="Bajo el punto de referencia del nivel"
          >
            <input
              id="fc-intake"
              name="pumpIntakeDepthM"
              inputMode="decimal"
              defaultValue={decimalText(point.pumpIntakeDepthM)}
            />
          </Field>
        )}
        <Field label="Avisar con anticipación (días)" error={errors.forecastLeadDays}>
          <input
            id="fc-lead"
            name="forecastLeadDays"
            inputMode="numeric"
            defaultValue={String(point.forecastLeadDays)}
          />
        </Field>
      </div>
      <ErrorMsg error={update.error && !Object.keys(errors).length ? update.error : null} />
      <div className="row">
        <button type="submit" disabled={update.isPending}>
          Guardar
        </button>
        {saved && (
          <span role="status" className="ok-text small">
            Guardado
          </span>
        )}
      </div>
    </form>
  );
}
