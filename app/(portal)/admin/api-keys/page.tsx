"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/trpc/react";
import { useScope } from "@/components/shell/scope";
import { PageHeader, RequireScope } from "@/components/ui/page";
import { ErrorMsg, Loading } from "@/components/ui/states";
import { Field } from "@/components/ui/field";
import { OnceSecret } from "@/components/ui/once-secret";
import { SCOPES, type Scope } from "@/domain/auth/permissions";
import { formatDate, formatDateTime, zonedTimeToDate } from "@/domain/format";
import { scopeLabel } from "@/domain/i18n/labels";
import { ActionsTh } from "@/components/ui/table-actions";
import { ClientOptions } from "@/components/ui/client-options";

const DEFAULT_SCOPES: Scope[] = ["points:read", "measurements:read"];

function ApiKeysAdmin() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const { clients } = useScope();
  const keys = useQuery(trpc.apiKeys.list.queryOptions({}));
  const opts = { onSuccess: () => qc.invalidateQueries({ queryKey: trpc.apiKeys.pathKey() }) };
  const create = useMutation(trpc.apiKeys.create.mutationOptions(opts));
  const revoke = useMutation(trpc.apiKeys.revoke.mutationOptions(opts));
  const [scopes, setScopes] = useState<Scope[]>(DEFAULT_SCOPES);
  const [secret, setSecret] = useState<string | null>(null);
  const [err, setErr] = useState<string | null>(null);

  async function onCreate(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    const name = String(f.get("name") ?? "").trim();
    if (name.length < 2) return setErr("El nombre debe tener al menos 2 caracteres.");
    if (scopes.length === 0) return setErr("Elija al menos un permiso.");
    setErr(null);
    const expires = String(f.get("expiresAt") ?? "");
    const k = await create.mutateAsync({
      name,
      scopes,
      clientId: f.get("clientId") ? Number(f.get("clientId")) : null,
      expiresAt: expires ? zonedTimeToDate(`${expires}T23:59:59`) : null,
    });
    setSecret(k.key);
    form.reset();
    setScopes(DEFAULT_SCOPES);
  }

  const clientName = (id: number | null) => (id ? (clients.find((c) => c.id === id)?.name ?? `#${id}`) : "Plataforma");
  return (
    <>
      <PageHeader
        title="Claves de API"
        subtitle="Acceso de sistemas externos a la API REST; la clave se muestra una sola vez"
      />
      {secret && <OnceSecret title="Clave de API creada:" value={secret} onDone={() => setSecret(null)} />}
      <ErrorMsg error={keys.error ?? revoke.error} />
      {keys.isLoading ? (
        <Loading what="claves" />
      ) : (
        <div className="table-wrap section">
          <table>
            <thead>
              <tr>
                <th>Nombre</th>
                <th>Prefijo</th>
                <th>Cliente</th>
                <th>Permisos</th>
                <th>Último uso</th>
                <th>Vence</th>
                <th>Estado</th>
                <ActionsTh />
              </tr>
            </thead>
            <tbody>
              {keys.data?.map((k) => (
                <tr key={k.id} data-testid="apikey-row">
                  <td>{k.name}</td>
                  <td className="mono">{k.prefix}…</td>
                  <td>{clientName(k.clientId)}</td>
                  <td className="small">{k.scopes.map(scopeLabel).join(", ")}</td>
                  <td>{k.lastUsedAt ? formatDateTime(k.lastUsedAt) : "Nunca"}</td>
                  <td>{k.expiresAt ? formatDate(k.expiresAt) : "—"}</td>
                  <td>
                    <span className={`badge ${k.revokedAt ? "bad" : "ok"}`}>
                      {k.revokedAt ? "Revocada" : "Vigente"}
                    </span>
                  </td>
                  <td>
                    {!k.revokedAt && (
                      <button
                        className="secondary small"
                        onClick={() => {
                          if (window.confirm(`¿Revocar la clave «${k.name}»?`)) revoke.mutate({ id: k.id });
                        }}
                      >
                        Revocar
                      </button>
                    )}
                  </td>
                </tr>
              ))}
              {keys.data?.length === 0 && (
                <tr>
                  <td colSpan={8}>Sin claves.</td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      )}
      <form className="card section stack" onSubmit={onCreate} noValidate aria-labelledby="nk-title">
        <h2 id="nk-title">Nueva clave</h2>
        <div className="form-grid">
          <Field label="Nombre">
            <input id="nk-name" name="name" placeholder="Integración ERP" />
          </Field>
          <Field label="Cliente" hint="Vacío: clave de plataforma (todos los clientes)">
            <select id="nk-client" name="clientId" defaultValue="">
              <option value="">Plataforma</option>
              <ClientOptions clients={clients} />
            </select>
          </Field>
          <Field label="Vence (opcional)">
            <input id="nk-exp" name="expiresAt" type="date" />
          </Field>
        </div>
        <fieldset>
          <legend>Permisos</legend>
          <div className="checks">
            {SCOPES.map((s) => (
              <label key={s}>
                <input
                  type="checkbox"
                  checked={scopes.includes(s)}
                  onChange={(e) => setScopes(e.target.checked ? [...scopes, s] : scopes.filter((x) => x !== s))}
                />
                {scopeLabel(s)}
              </label>
            ))}
          </div>
        </fieldset>
        {err && (
          <p role="alert" className="error">
            {err}
          </p>
        )}
        <ErrorMsg error={create.error} />
        <button type="submit" disabled={create.isPending}>
          Crear clave
        </button>
      </form>
    </>
  );
}

export default function Page() {
  return (
    <RequireScope scope="apikeys:write" staff>
      <ApiKeysAdmin />
    </RequireScope>
  );
}
