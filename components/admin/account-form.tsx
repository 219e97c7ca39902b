"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { z } from "zod";
import { useTRPC } from "@/trpc/react";
import { LABELS, label } from "@/domain/labels";
import { CREDENTIAL_LABEL } from "@/domain/i18n/labels";
import { useScope } from "@/components/shell/scope";
import { Field } from "@/components/ui/field";
import { ErrorMsg } from "@/components/ui/states";
import { serverFieldErrors, validate, type FieldErrors } from "@/components/ui/zod-form";
import { ClientOptions } from "@/components/ui/client-options";

const KINDS = ["tdata", "tts", "thethingsio", "tago", "custom"] as const;
type Kind = (typeof KINDS)[number];
/** Credential keys each provider client reads (see server/integrations/providers). */
const CRED_KEYS: Record<Kind, string[]> = {
  tdata: ["username", "password"],
  tts: ["apiKey"],
  thethingsio: ["thingToken"],
  tago: ["token"],
  custom: ["header:Authorization"],
};
const AccountSchema = z.object({
  name: z.string().trim().min(2, "Mínimo 2 caracteres").max(120),
  baseUrl: z.string().url("URL inválida (https://…)"),
});

export interface AccountValues {
  id: number;
  kind: Kind;
  name: string;
  baseUrl: string;
  active: boolean;
  pushOnly?: boolean;
  clientId: number | null;
  hasCredentials: boolean;
}

/** Provider account: credentials are write-only (blank = keep); creation returns the push secret once. */
export function AccountForm({
  account,
  onDone,
}: {
  account?: AccountValues;
  onDone: (r: { msg: string; secret?: string }) => void;
}) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const { clients, clientId: scopeClient } = useScope();
  const [kind, setKind] = useState<Kind>(account?.kind ?? "tdata");
  const [errors, setErrors] = useState<FieldErrors>({});
  const opts = { onSuccess: () => qc.invalidateQueries({ queryKey: trpc.providers.pathKey() }) };
  const create = useMutation(trpc.providers.createAccount.mutationOptions(opts));
  const update = useMutation(trpc.providers.updateAccount.mutationOptions(opts));

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const v = validate(AccountSchema, { name: f.get("name"), baseUrl: f.get("baseUrl") });
    if (!v.ok) return setErrors(v.errors);
    setErrors({});
    const creds = Object.fromEntries(
      CRED_KEYS[kind].map((k) => [k, String(f.get(`cred-${k}`) ?? "")]).filter(([, val]) => val !== ""),
    );
    const credentials = Object.keys(creds).length ? creds : undefined;
    try {
      if (account) {
        const r = await update.mutateAsync({
          id: account.id,
          ...v.data,
          active: f.get("active") === "on",
          pushOnly: f.get("pushOnly") === "on",
          credentials,
          rotatePushSecret: f.get("rotate") === "on",
        });
        onDone({ msg: "Cuenta actualizada.", secret: "pushSecret" in r ? r.pushSecret : undefined });
      } else {
        const clientId = f.get("clientId") ? Number(f.get("clientId")) : null;
        const r = await create.mutateAsync({
          ...v.data,
          kind,
          clientId,
          credentials,
          settings: {},
          active: true,
          pushOnly: f.get("pushOnly") === "on",
        });
        onDone({ msg: `Cuenta «${r.name}» creada.`, secret: r.pushSecret });
      }
    } catch (err) {
      setErrors(serverFieldErrors(err));
    }
  }

  const p = account ? `a${account.id}` : "na";
  return (
    <form
      onSubmit={onSubmit}
      noValidate
      className="stack"
      aria-label={account ? `Editar ${account.name}` : "Nueva cuenta de proveedor"}
    >
      <div className="form-grid">
        <Field label="Proveedor">
          <select id={`${p}-kind`} value={kind} disabled={!!account} onChange={(e) => setKind(e.target.value as Kind)}>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {LABELS.provider[k]}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Nombre" error={errors.name}>
          <input id={`${p}-name`} name="name" defaultValue={account?.name} />
        </Field>
        <Field label="URL base" error={errors.baseUrl}>
          <input
            id={`${p}-url`}
            name="baseUrl"
            type="url"
            defaultValue={account?.baseUrl}
            placeholder="https://api.proveedor.cl"
          />
        </Field>
        {!account && (
          <Field label="Cliente" hint="Vacío: cuenta de la plataforma, compartida">
            <select id={`${p}-client`} name="clientId" defaultValue={scopeClient ?? ""}>
              <option value="">Plataforma (todos)</option>
              <ClientOptions clients={clients} />
            </select>
          </Field>
        )}
      </div>
      <fieldset>
        <legend>Credenciales de {label("provider", kind)} (solo escritura)</legend>
        <p className="hint">
          {account?.hasCredentials
            ? "Hay credenciales guardadas: déjelas en blanco para conservarlas."
            : "Se guardan cifradas y nunca se vuelven a mostrar."}
        </p>
        <div className="form-grid">
          {CRED_KEYS[kind].map((k) => (
            <Field key={`${kind}-${k}`} label={CREDENTIAL_LABEL[k] ?? k}>
              <input
                id={`${p}-cred-${k}`}
                name={`cred-${k}`}
                type={k === "username" ? "text" : "password"}
                autoComplete="off"
              />
            </Field>
          ))}
        </div>
      </fieldset>
      <div className="checks">
        <label>
          <input type="checkbox" name="pushOnly" defaultChecked={account?.pushOnly ?? false} />
          Solo push (recibe webhooks o acciones; nunca se consulta y no requiere credenciales)
        </label>
      </div>
      {account && (
        <div className="checks">
          <label>
            <input type="checkbox" name="active" defaultChecked={account.active} />
            Activa
          </label>
          <label>
            <input type="checkbox" name="rotate" />
            Generar un nuevo secreto de push (el anterior deja de valer)
          </label>
        </div>
      )}
      <ErrorMsg error={create.error ?? update.error} />
      <button type="submit" disabled={create.isPending || update.isPending}>
        {account ? "Guardar cambios" : "Crear cuenta"}
      </button>
    </form>
  );
}
