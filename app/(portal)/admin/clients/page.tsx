"use client";
import { useQuery } from "@tanstack/react-query";
import { Fragment, useState } from "react";
import { useTRPC } from "@/trpc/react";
import { useScope } from "@/components/shell/scope";
import { PageHeader, RequireScope } from "@/components/ui/page";
import { ErrorMsg, Loading } from "@/components/ui/states";
import { ClientForm, MODULES } from "@/components/admin/client-form";
import { formatRut } from "@/domain/rut";
import { label } from "@/domain/labels";
import { ActionsTh } from "@/components/ui/table-actions";

function ClientsAdmin() {
  const trpc = useTRPC();
  const { can } = useScope();
  const clients = useQuery(trpc.clients.list.queryOptions({}));
  const [editing, setEditing] = useState<number | "new" | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const canWrite = can("clients:write") && can("modules:write");
  return (
    <>
      <PageHeader
        title="Clientes y módulos"
        subtitle="Empresas que monitorean sus extracciones y los módulos que contrataron"
      >
        {canWrite && editing !== "new" && (
          <button
            onClick={() => {
              setEditing("new");
              setSaved(null);
            }}
          >
            Nuevo cliente
          </button>
        )}
      </PageHeader>
      {saved && (
        <p role="status" className="notice">
          {saved}
        </p>
      )}
      {editing === "new" && (
        <section className="card section" aria-labelledby="new-client">
          <div className="row" style={{ justifyContent: "space-between" }}>
            <h2 id="new-client">Nuevo cliente</h2>
            <button className="secondary small" onClick={() => setEditing(null)}>
              Cancelar
            </button>
          </div>
          <ClientForm
            onDone={() => {
              setEditing(null);
              setSaved("Cliente creado.");
            }}
          />
        </section>
      )}
      <ErrorMsg error={clients.error} />
      {clients.isLoading ? (
        <Loading what="clientes" />
      ) : (
        <div className="table-wrap section">
          <table>
            <thead>
              <tr>
                <th>Cliente</th>
                <th>RUT</th>
                <th>Contacto</th>
                <th className="num">Puntos</th>
                <th>Módulos</th>
                <th>Estado</th>
                {canWrite && <ActionsTh />}
              </tr>
            </thead>
            <tbody>
              {clients.data?.map((c) => (
                <Fragment key={c.id}>
                  <tr data-testid="client-row">
                    <td>
                      <strong>{c.name}</strong>
                    </td>
                    <td className="mono">{formatRut(c.rut)}</td>
                    <td>
                      {c.contactName ?? "—"}
                      <div className="muted small">{c.contactEmail}</div>
                    </td>
                    <td className="num">{c._count.points}</td>
                    <td>
                      {MODULES.filter((m) => c.modules.some((x) => x.module === m && x.enabled)).map((m) => (
                        <span key={m} className="badge info" style={{ marginRight: 4 }}>
                          {label("module", m)}
                        </span>
                      ))}
                    </td>
                    <td>
                      <span className={`badge ${c.active ? "ok" : ""}`}>{c.active ? "Activo" : "Inactivo"}</span>
                    </td>
                    {canWrite && (
                      <td>
                        <button
                          className="secondary small"
                          onClick={() => setEditing(editing === c.id ? null : c.id)}
                          aria-expanded={editing === c.id}
                        >
                          {editing === c.id ? "Cerrar" : "Editar"}
                        </button>
                      </td>
                    )}
                  </tr>
                  {editing === c.id && (
                    <tr className="edit-row">
                      <td colSpan={99}>
                        <div className="card">
                          <ClientForm
                            initial={{ ...c, modules: c.modules.filter((m) => m.enabled).map((m) => m.module) }}
                            onDone={() => {
                              setEditing(null);
                              setSaved("Cambios guardados.");
                            }}
                          />
                        </div>
                      </td>
                    </tr>
                  )}
                </Fragment>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

export default function Page() {
  return (
    <RequireScope scope="clients:read" staff>
      <ClientsAdmin />
    </RequireScope>
  );
}
