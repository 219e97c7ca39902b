"use client";
import { useQuery } from "@tanstack/react-query";
import { Fragment, useState } from "react";
import { useTRPC } from "@/trpc/react";
import { PageHeader, RequireScope } from "@/components/ui/page";
import { ErrorMsg, Loading } from "@/components/ui/states";
import { UserForm } from "@/components/admin/user-form";
import { label } from "@/domain/labels";
import { formatDateTime } from "@/domain/format";
import { ActionsTh, EditToggle } from "@/components/ui/table-actions";

function UsersAdmin() {
  const trpc = useTRPC();
  const users = useQuery(trpc.users.list.queryOptions({}));
  const [editing, setEditing] = useState<number | "new" | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const done = (msg: string) => {
    setEditing(null);
    setSaved(msg);
  };
  return (
    <>
      <PageHeader title="Usuarios" subtitle="Personal de la plataforma y usuarios de los clientes con sus membresías">
        {editing !== "new" && (
          <button
            onClick={() => {
              setEditing("new");
              setSaved(null);
            }}
          >
            Nuevo usuario
          </button>
        )}
      </PageHeader>
      {saved && (
        <p role="status" className="notice">
          {saved}
        </p>
      )}
      {editing === "new" && (
        <section className="card section" aria-labelledby="nu-title">
          <div className="row" style={{ justifyContent: "space-between" }}>
            <h2 id="nu-title">Nuevo usuario</h2>
            <button className="secondary small" onClick={() => setEditing(null)}>
              Cancelar
            </button>
          </div>
          <UserForm onDone={done} />
        </section>
      )}
      <ErrorMsg error={users.error} />
      {users.isLoading ? (
        <Loading what="usuarios" />
      ) : (
        <div className="table-wrap section">
          <table>
            <thead>
              <tr>
                <th>Usuario</th>
                <th>Rol de plataforma</th>
                <th>Membresías</th>
                <th>Último ingreso</th>
                <th>Estado</th>
                <ActionsTh />
              </tr>
            </thead>
            <tbody>
              {users.data?.map((u) => (
                <Fragment key={u.id}>
                  <tr data-testid="user-row">
                    <td>
                      <strong>{u.name}</strong>
                      <div className="muted small">{u.email}</div>
                    </td>
                    <td>{u.staffRole ? label("role", u.staffRole) : "—"}</td>
                    <td>
                      {u.memberships.map((m) => (
                        <div key={m.clientId}>
                          {m.client.name}: {label("role", m.role)}
                        </div>
                      ))}
                      {u.memberships.length === 0 && "—"}
                    </td>
                    <td>{u.lastLoginAt ? formatDateTime(u.lastLoginAt) : "Nunca"}</td>
                    <td>
                      <span className={`badge ${u.active ? "ok" : ""}`}>{u.active ? "Activo" : "Inactivo"}</span>
                    </td>
                    <td>
                      <EditToggle
                        open={editing === u.id}
                        onToggle={() => setEditing(editing === u.id ? null : u.id)}
                        label="Editar"
                      />
                    </td>
                  </tr>
                  {editing === u.id && (
                    <tr className="edit-row">
                      <td colSpan={99}>
                        <div className="card">
                          <UserForm user={u} onDone={done} />
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
    <RequireScope scope="users:write" staff>
      <UsersAdmin />
    </RequireScope>
  );
}
