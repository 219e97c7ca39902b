"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { z } from "zod";
import { useTRPC } from "@/trpc/react";
import { useScope } from "@/components/shell/scope";
import { PageHeader, RequireScope } from "@/components/ui/page";
import { ErrorMsg, Loading } from "@/components/ui/states";
import { Field } from "@/components/ui/field";
import { validate, type FieldErrors } from "@/components/ui/zod-form";
import { RutSchema } from "@/domain/schemas/common";
import { formatRut } from "@/domain/rut";
import { formatDateTime } from "@/domain/format";
import { ClientOptions } from "@/components/ui/client-options";

const Schema = z.object({
  name: z.string().trim().min(2, "Mínimo 2 caracteres").max(120),
  rut: RutSchema,
  password: z.string().min(1, "La clave MEE es obligatoria").max(200),
});

function InformantesAdmin() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const { clientId: chosen, clients } = useScope();
  // "Todos los clientes" (null): every client's informantes with a Cliente column; a new one still names its client.
  const allClients = chosen == null;
  const list = useQuery(trpc.informantes.list.queryOptions(allClients ? {} : { clientId: chosen }));
  const [picked, setPicked] = useState<number | null>(null);
  const clientId = chosen ?? picked ?? clients[0]?.id ?? null;
  const opts = { onSuccess: () => qc.invalidateQueries({ queryKey: trpc.informantes.pathKey() }) };
  const create = useMutation(trpc.informantes.create.mutationOptions(opts));
  const update = useMutation(trpc.informantes.update.mutationOptions(opts));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [msg, setMsg] = useState<string | null>(null);
  const [pwFor, setPwFor] = useState<number | null>(null);

  async function onCreate(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    const v = validate(Schema, { name: f.get("name"), rut: f.get("rut"), password: f.get("password") });
    if (!v.ok || !clientId) return setErrors(v.ok ? {} : v.errors);
    setErrors({});
    await create.mutateAsync({ clientId, ...v.data });
    form.reset();
    setMsg("Informante registrado. La clave quedó cifrada y no se mostrará.");
  }
  async function onPassword(e: React.FormEvent<HTMLFormElement>, id: number) {
    e.preventDefault();
    const password = String(new FormData(e.currentTarget).get("password") ?? "");
    if (!password) return;
    await update.mutateAsync({ id, password });
    setPwFor(null);
    setMsg("Clave reemplazada.");
  }

  return (
    <>
      <PageHeader
        title="Informantes DGA"
        subtitle={`Credenciales MEE con que se reportan los puntos de ${allClients ? "todos los clientes" : (clients.find((c) => c.id === chosen)?.name ?? "…")}`}
      />
      {msg && (
        <p role="status" className="notice">
          {msg}
        </p>
      )}
      <ErrorMsg error={list.error ?? update.error} />
      {list.isLoading ? (
        <Loading what="informantes" />
      ) : (
        <div className="table-wrap">
          <table className="cards-sm">
            <thead>
              <tr>
                {allClients && <th>Cliente</th>}
                <th>Nombre</th>
                <th>RUT</th>
                <th>Clave MEE</th>
                <th>Actualizado</th>
              </tr>
            </thead>
            <tbody>
              {list.data?.map((i) => (
                <tr key={i.id} data-testid="informante-row">
                  {allClients && (
                    <td data-label="Cliente" data-testid="informante-client">
                      {i.client.name}
                    </td>
                  )}
                  <td data-label="Nombre">{i.name}</td>
                  <td className="mono" data-label="RUT">
                    {formatRut(i.rut)}
                  </td>
                  <td data-label="Clave MEE">
                    {pwFor === i.id ? (
                      <form className="row" onSubmit={(e) => onPassword(e, i.id)}>
                        <input
                          aria-label={`Nueva clave de ${i.name}`}
                          name="password"
                          type="password"
                          autoComplete="new-password"
                          style={{ width: 200 }}
                        />
                        <button className="small" type="submit">
                          Guardar
                        </button>
                        <button className="secondary small" type="button" onClick={() => setPwFor(null)}>
                          Cancelar
                        </button>
                      </form>
                    ) : (
                      <>
                        ••••••••{" "}
                        <button className="link small" onClick={() => setPwFor(i.id)}>
                          Reemplazar
                        </button>
                      </>
                    )}
                  </td>
                  <td data-label="Actualizado">{formatDateTime(i.updatedAt)}</td>
                </tr>
              ))}
              {list.data?.length === 0 && (
                <tr>
                  <td colSpan={allClients ? 5 : 4}>Sin informantes.</td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      )}
      <form className="card section stack" onSubmit={onCreate} noValidate aria-labelledby="ni-title">
        <h2 id="ni-title">Registrar informante</h2>
        <div className="form-grid">
          {allClients && (
            <Field label="Cliente">
              <select id="ni-client" value={clientId ?? ""} onChange={(e) => setPicked(Number(e.target.value))}>
                <ClientOptions clients={clients} />
              </select>
            </Field>
          )}
          <Field label="Nombre" error={errors.name}>
            <input id="ni-name" name="name" />
          </Field>
          <Field label="RUT" error={errors.rut}>
            <input id="ni-rut" name="rut" placeholder="12.345.678-5" />
          </Field>
          <Field label="Clave MEE" error={errors.password} hint="Solo escritura: se guarda cifrada">
            <input id="ni-pw" name="password" type="password" autoComplete="new-password" />
          </Field>
        </div>
        <ErrorMsg error={create.error} />
        <button type="submit" disabled={create.isPending || !clientId}>
          Registrar
        </button>
      </form>
    </>
  );
}

export default function Page() {
  return (
    <RequireScope scope="informantes:write" staff>
      <InformantesAdmin />
    </RequireScope>
  );
}
