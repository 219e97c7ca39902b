"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/trpc/react";
import { DGA_TRANSPORTS, POINT_STATUSES, PointConfigSchema, PointCreateSchema } from "@/domain/schemas/point";
import { POINT_KINDS } from "@/domain/dga/contract";
import { DGA_STANDARDS } from "@/domain/dga/standards";
import { label } from "@/domain/labels";
import { REGIONS } from "@/components/map/chile-geo";
import { Field } from "@/components/ui/field";
import { ErrorMsg } from "@/components/ui/states";
import {
  decimalText,
  numOrNull,
  serverFieldErrors,
  strOrNull,
  validate,
  type FieldErrors,
} from "@/components/ui/zod-form";
import type { PointRow } from "@/components/points/points-table";

const opt = (values: readonly string[], group: "kind" | "standard" | "transport" | "status") =>
  values.map((v) => (
    <option key={v} value={v}>
      {label(group, v)}
    </option>
  ));

/** Create or edit a capture point; validated with the shared zod schemas (obra code, ranges) before sending. */
export function PointForm({
  clientId,
  point,
  onDone,
}: {
  clientId: number;
  point?: PointRow;
  onDone: (id: number, name: string) => void;
}) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [errors, setErrors] = useState<FieldErrors>({});
  const informantes = useQuery(trpc.informantes.list.queryOptions({ clientId }));
  const opts = { onSuccess: () => qc.invalidateQueries({ queryKey: trpc.points.pathKey() }) };
  const create = useMutation(trpc.points.create.mutationOptions(opts));
  const update = useMutation(trpc.points.updateConfig.mutationOptions(opts));
  const busy = create.isPending || update.isPending;

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const s = (k: string) => strOrNull(f.get(k));
    const n = (k: string) => numOrNull(f.get(k));
    const values = {
      name: f.get("name"),
      kind: f.get("kind"),
      obraCode: s("obraCode"),
      dgaStandard: f.get("dgaStandard"),
      grantedFlowLps: n("grantedFlowLps"),
      annualVolumeM3: n("annualVolumeM3"),
      latitude: n("latitude"),
      longitude: n("longitude"),
      region: s("region"),
      shac: s("shac"),
      wellDepthM: n("wellDepthM"),
      sensorInstallDepthM: n("sensorInstallDepthM"),
      levelMode: f.get("levelMode"),
      pulseFactorL: n("pulseFactorL"),
      expectedIntervalMin: n("expectedIntervalMin") ?? undefined,
      status: f.get("status"),
      dgaTransport: f.get("dgaTransport"),
      informanteId: n("informanteId"),
    };
    try {
      if (point) {
        const v = validate(PointConfigSchema, values);
        if (!v.ok) return setErrors(v.errors);
        setErrors({});
        const r = await update.mutateAsync({ id: point.id, ...v.data });
        onDone(r.id, r.name);
      } else {
        const v = validate(PointCreateSchema, { ...values, clientId });
        if (!v.ok) return setErrors(v.errors);
        setErrors({});
        const r = await create.mutateAsync(v.data);
        onDone(r.id, r.name);
      }
    } catch (err) {
      setErrors(serverFieldErrors(err));
    }
  }

  const p = point ? `p${point.id}` : "np";
  const num = (name: keyof PointRow & string, text: string, hint?: string, step = "any") => (
    <Field label={text} error={errors[name]} hint={hint}>
      <input
        id={`${p}-${name}`}
        name={name}
        inputMode="decimal"
        type="text"
        step={step}
        defaultValue={
          point?.[name] == null
            ? name === "expectedIntervalMin"
              ? "15"
              : ""
            : decimalText(point[name] as number | null)
        }
      />
    </Field>
  );
  return (
    <form
      onSubmit={onSubmit}
      noValidate
      className="stack"
      aria-label={point ? `Editar ${point.name}` : "Nuevo punto"}
      data-testid="point-form"
    >
      <div className="form-grid">
        <Field label="Nombre" error={errors.name}>
          <input id={`${p}-name`} name="name" defaultValue={point?.name} required />
        </Field>
        <Field label="Código de obra DGA" error={errors.obraCode} hint="Formato OB-RRPP-N, ej. OB-0602-15">
          <input id={`${p}-obra`} name="obraCode" defaultValue={point?.obraCode ?? ""} autoCapitalize="characters" />
        </Field>
        <Field label="Tipo de captación" error={errors.kind}>
          <select id={`${p}-kind`} name="kind" defaultValue={point?.kind ?? "groundwater"}>
            {opt(POINT_KINDS, "kind")}
          </select>
        </Field>
        <Field label="Estándar DGA" error={errors.dgaStandard}>
          <select id={`${p}-std`} name="dgaStandard" defaultValue={point?.dgaStandard ?? "mayor"}>
            {opt(DGA_STANDARDS, "standard")}
          </select>
        </Field>
        {num("grantedFlowLps", "Caudal otorgado (L/s)")}
        {num("annualVolumeM3", "Volumen anual otorgado (m³)")}
        {num("latitude", "Latitud", "Decimal, negativa: ej. -34,60")}
        {num("longitude", "Longitud", "Decimal, negativa: ej. -71,20")}
        <Field label="Región" error={errors.region}>
          <select id={`${p}-region`} name="region" defaultValue={point?.region ?? ""}>
            <option value="">—</option>
            {REGIONS.map((r) => (
              <option key={r.code} value={r.name}>
                {r.name}
              </option>
            ))}
            {point?.region && !REGIONS.some((r) => r.name === point.region) && (
              <option value={point.region}>{point.region}</option>
            )}
          </select>
        </Field>
        <Field label="SHAC / sector" error={errors.shac}>
          <input id={`${p}-shac`} name="shac" defaultValue={point?.shac ?? ""} />
        </Field>
        {num("wellDepthM", "Profundidad del pozo (m)")}
        {num("sensorInstallDepthM", "Profundidad del sensor (m)")}
        <Field label="Medición de nivel" error={errors.levelMode}>
          <select id={`${p}-lm`} name="levelMode" defaultValue={point?.levelMode ?? "direct"}>
            <option value="direct">Nivel directo</option>
            <option value="depth_from_install">Desde la instalación del sensor</option>
          </select>
        </Field>
        {num("pulseFactorL", "Factor de pulso (L/pulso)")}
        {num("expectedIntervalMin", "Intervalo esperado (min)", undefined, "1")}
        <Field label="Estado" error={errors.status}>
          <select id={`${p}-status`} name="status" defaultValue={point?.status ?? "active"}>
            {opt(POINT_STATUSES, "status")}
          </select>
        </Field>
        <Field label="Transporte DGA" error={errors.dgaTransport}>
          <select id={`${p}-tr`} name="dgaTransport" defaultValue={point?.dgaTransport ?? "off"}>
            {opt(DGA_TRANSPORTS, "transport")}
          </select>
        </Field>
        <Field label="Informante DGA" error={errors.informanteId}>
          <select id={`${p}-inf`} name="informanteId" defaultValue={point?.informanteId ?? ""}>
            <option value="">—</option>
            {informantes.data?.map((i) => (
              <option key={i.id} value={i.id}>
                {i.name}
              </option>
            ))}
          </select>
        </Field>
      </div>
      {Object.keys(errors).length > 0 && (
        <p role="alert" className="error">
          Revise los campos marcados.
        </p>
      )}
      <ErrorMsg error={create.error ?? update.error} />
      <button type="submit" disabled={busy}>
        {busy ? "Guardando…" : point ? "Guardar cambios" : "Crear punto"}
      </button>
    </form>
  );
}
