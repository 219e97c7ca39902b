"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { z } from "zod";
import { useTRPC } from "@/trpc/react";
import { EmailSchema, RutSchema } from "@/domain/schemas/common";
import { LABELS } from "@/domain/labels";
import { formatRut } from "@/domain/rut";
import { Field } from "@/components/ui/field";
import { ErrorMsg } from "@/components/ui/states";
import { serverFieldErrors, strOrNull, validate, type FieldErrors } from "@/components/ui/zod-form";

export const MODULES = ["telemetry", "dga", "reports", "alerts", "api"] as const;
type Module = (typeof MODULES)[number];

/** Same rules as the server's client input (name, RUT with check digit, optional contact). */
const ClientFormSchema = z.object({
  name: z.string().trim().min(2, "Mínimo 2 caracteres").max(120),
  rut: RutSchema,
  contactName: z.string().trim().max(120).nullish(),
  contactEmail: EmailSchema.nullish(),
  contactPhone: z.string().trim().max(40).nullish(),
});

export interface ClientValues {
  id?: number;
  active?: boolean;
  name: string;
  rut: string;
  contactName: string | null;
  contactEmail: string | null;
  contactPhone: string | null;
  modules: Module[];
}

export function ClientForm({ initial, onDone }: { initial?: ClientValues; onDone: (id: number) => void }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [errors, setErrors] = useState<FieldErrors>({});
  const opts = { onSuccess: () => qc.invalidateQueries({ queryKey: trpc.clients.pathKey() }) };
  const create = useMutation(trpc.clients.create.mutationOptions(opts));
  const update = useMutation(trpc.clients.update.mutationOptions(opts));
  const setModules = useMutation(trpc.modules.set.mutationOptions(opts));
  const busy = create.isPending || update.isPending || setModules.isPending;
  const error = create.error ?? update.error ?? setModules.error;

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const v = validate(ClientFormSchema, {
      name: f.get("name"),
      rut: f.get("rut"),
      contactName: strOrNull(f.get("contactName")),
      contactEmail: strOrNull(f.get("contactEmail")),
      contactPhone: strOrNull(f.get("contactPhone")),
    });
    if (!v.ok) return setErrors(v.errors);
    setErrors({});
    const modules = MODULES.filter((m) => f.get(`mod-${m}`) === "on");
    try {
      if (initial?.id) {
        await update.mutateAsync({ id: initial.id, ...v.data, active: f.get("active") === "on" });
        await setModules.mutateAsync({
          clientId: initial.id,
          modules: Object.fromEntries(MODULES.map((m) => [m, modules.includes(m)])),
        });
        onDone(initial.id);
      } else {
        const c = await create.mutateAsync({ ...v.data, modules });
        onDone(c.id);
      }
    } catch (err) {
      setErrors(serverFieldErrors(err));
    }
  }

  const p = initial?.id ? `c${initial.id}` : "new";
  return (
    <form
      onSubmit={onSubmit}
      noValidate
      className="stack"
      aria-label={initial?.id ? `Editar ${initial.name}` : "Nuevo cliente"}
    >
      <div className="form-grid">
        <Field label="Razón social" error={errors.name}>
          <input id={`${p}-name`} name="name" defaultValue={initial?.name} required />
        </Field>
        <Field label="RUT" error={errors.rut} hint="Ej.: 76.455.593-7">
          <input id={`${p}-rut`} name="rut" defaultValue={initial ? formatRut(initial.rut) : ""} required />
        </Field>
        <Field label="Contacto" error={errors.contactName}>
          <input id={`${p}-cn`} name="contactName" defaultValue={initial?.contactName ?? ""} />
        </Field>
        <Field label="Correo de contacto" error={errors.contactEmail}>
          <input id={`${p}-ce`} name="contactEmail" type="email" defaultValue={initial?.contactEmail ?? ""} />
        </Field>
        <Field label="Teléfono" error={errors.contactPhone}>
          <input id={`${p}-cp`} name="contactPhone" type="tel" defaultValue={initial?.contactPhone ?? ""} />
        </Field>
      </div>
      <fieldset>
        <legend>Módulos contratados</legend>
        <div className="checks">
          {MODULES.map((m) => (
            <label key={m}>
              <input
                type="checkbox"
                name={`mod-${m}`}
                defaultChecked={initial ? initial.modules.includes(m) : m === "telemetry"}
              />
              {LABELS.module[m]}
            </label>
          ))}
        </div>
      </fieldset>
      {initial?.id && (
        <label style={{ fontWeight: 400 }}>
          <input type="checkbox" name="active" defaultChecked={initial.active ?? true} />
          Cliente activo
        </label>
      )}
      <ErrorMsg error={error} />
      <div className="row">
        <button type="submit" disabled={busy}>
          {busy ? "Guardando…" : initial?.id ? "Guardar cambios" : "Crear cliente"}
        </button>
      </div>
    </form>
  );
}
