"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { z } from "zod";
import { useTRPC } from "@/trpc/react";
import { Field } from "@/components/ui/field";
import { ErrorMsg } from "@/components/ui/states";
import { serverFieldErrors, validate, type FieldErrors } from "@/components/ui/zod-form";
import { CHANNEL_LABEL, EVENT_LABEL, NOTIFICATION_EVENTS, SEVERITY_LABEL } from "./labels";

type Channel = "in_app" | "email" | "webhook";
type Severity = "info" | "warning" | "critical";
type Event =
  | "point_offline"
  | "flow_above_granted"
  | "level_drop"
  | "totalizer_frozen"
  | "negative_flow"
  | "spike"
  | "error_code"
  | "dga_late"
  | "dga_rejected"
  | "dga_failed"
  | "dga_review"
  | "provider_error"
  | "receipt_mismatch";
export interface RuleValues {
  id: number;
  name: string;
  events: string[];
  channel: Channel;
  target: string;
  minSeverity: Severity;
  active: boolean;
}

/** Same rules as the server: at least one event; email target is an address, webhook target a URL. */
const RuleSchema = z
  .object({
    name: z.string().trim().min(2, "Mínimo 2 caracteres").max(120),
    events: z.array(z.string()).min(1, "Elija al menos un evento"),
    channel: z.enum(["in_app", "email", "webhook"]),
    target: z.string().trim().min(1, "Indique el destinatario").max(500),
  })
  .superRefine((r, ctx) => {
    if (r.channel === "email" && !z.string().email().safeParse(r.target).success)
      ctx.addIssue({ code: "custom", path: ["target"], message: "Correo inválido" });
    if (r.channel === "webhook" && !/^https?:\/\//.test(r.target))
      ctx.addIssue({ code: "custom", path: ["target"], message: "URL inválida (http:// o https://)" });
  });

const TARGET_HINT: Record<Channel, string> = {
  in_app: "A quién se muestra en el portal, ej. «todos»",
  email: "Correo del destinatario",
  webhook: "URL que recibirá un POST",
};

export function RuleForm({
  clientId,
  rule,
  onDone,
}: {
  clientId: number;
  rule?: RuleValues;
  onDone: (msg: string) => void;
}) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [channel, setChannel] = useState<Channel>(rule?.channel ?? "email");
  const [errors, setErrors] = useState<FieldErrors>({});
  const opts = { onSuccess: () => qc.invalidateQueries({ queryKey: trpc.notificationRules.pathKey() }) };
  const create = useMutation(trpc.notificationRules.create.mutationOptions(opts));
  const update = useMutation(trpc.notificationRules.update.mutationOptions(opts));

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const values = { name: f.get("name"), events: f.getAll("events").map(String), channel, target: f.get("target") };
    const v = validate(RuleSchema, values);
    if (!v.ok) return setErrors(v.errors);
    setErrors({});
    const data = {
      ...v.data,
      events: v.data.events as Event[],
      minSeverity: f.get("minSeverity") as Severity,
      active: f.get("active") === "on",
    };
    try {
      const saved = rule
        ? await update.mutateAsync({ id: rule.id, ...data })
        : await create.mutateAsync({ clientId, ...data });
      const secret = saved.webhookSecret
        ? ` Secreto de firma del webhook (se muestra una sola vez; verifique la cabecera X-SmartHydro-Signature): ${saved.webhookSecret}`
        : "";
      onDone(`${rule ? "Regla actualizada." : "Regla creada."}${secret}`);
    } catch (err) {
      setErrors(serverFieldErrors(err));
    }
  }

  const p = rule ? `r${rule.id}` : "nr";
  return (
    <form
      onSubmit={onSubmit}
      noValidate
      className="stack"
      aria-label={rule ? `Editar regla ${rule.name}` : "Nueva regla"}
      data-testid="rule-form"
    >
      <div className="form-grid">
        <Field label="Nombre de la regla" error={errors.name}>
          <input id={`${p}-name`} name="name" defaultValue={rule?.name} />
        </Field>
        <Field label="Canal">
          <select id={`${p}-ch`} value={channel} onChange={(e) => setChannel(e.target.value as Channel)}>
            {(Object.keys(CHANNEL_LABEL) as Channel[]).map((c) => (
              <option key={c} value={c}>
                {CHANNEL_LABEL[c]}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Destinatario" error={errors.target} hint={TARGET_HINT[channel]}>
          <input
            id={`${p}-target`}
            name="target"
            defaultValue={rule?.target ?? (channel === "in_app" ? "todos" : "")}
          />
        </Field>
        <Field label="Severidad mínima">
          <select id={`${p}-sev`} name="minSeverity" defaultValue={rule?.minSeverity ?? "warning"}>
            {(Object.keys(SEVERITY_LABEL) as Severity[]).map((s) => (
              <option key={s} value={s}>
                {SEVERITY_LABEL[s]}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <fieldset aria-describedby={errors.events ? `${p}-ev-err` : undefined}>
        <legend>Eventos</legend>
        <div className="checks">
          {NOTIFICATION_EVENTS.map((ev) => (
            <label key={ev}>
              <input type="checkbox" name="events" value={ev} defaultChecked={rule?.events.includes(ev)} />
              {EVENT_LABEL[ev]}
            </label>
          ))}
        </div>
        {errors.events && (
          <p className="field-error" id={`${p}-ev-err`}>
            {errors.events}
          </p>
        )}
      </fieldset>
      <label style={{ fontWeight: 400 }}>
        <input type="checkbox" name="active" defaultChecked={rule?.active ?? true} />
        Regla activa
      </label>
      <ErrorMsg error={create.error ?? update.error} />
      <button type="submit" disabled={create.isPending || update.isPending}>
        {rule ? "Guardar regla" : "Crear regla"}
      </button>
    </form>
  );
}
