"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { Fragment, useState } from "react";
import { useTRPC } from "@/trpc/react";
import { useScope } from "@/components/shell/scope";
import { PageHeader, RequireScope } from "@/components/ui/page";
import { ErrorMsg, Loading } from "@/components/ui/states";
import { PointForm } from "@/components/admin/point-form";
import { label } from "@/domain/labels";
import { formatNumber } from "@/domain/format";
import { ActionsTh, EditToggle } from "@/components/ui/table-actions";
import { ClientOptions } from "@/components/ui/client-options";

function PointsAdmin() {
  const trpc = useTRPC();
  const { clientId, effectiveClientId, clients, href } = useScope();
  const points = useQuery(trpc.points.list.queryOptions(clientId ? { clientId } : {}));
  const [editing, setEditing] = useState<number | "new" | null>(null);
  const [target, setTarget] = useState<number | null>(null);
  const [saved, setSaved] = useState<React.ReactNode>(null);
  const createFor = clientId ?? target ?? effectiveClientId;
  const done = (verb: string) => (id: number, name: string) => {
    setEditing(null);
    setSaved(
      <>
        Punto{" "}
        <Link prefetch={false} href={href(`/points/${id}`)}>
          {name}
        </Link>{" "}
        {verb}.
      </>,
    );
  };
  return (
    <>
      <PageHeader
        title="Puntos (configuración)"
        subtitle="Alta y edición de puntos de captación, con validación del código de obra DGA"
      >
        {editing !== "new" && (
          <button
            onClick={() => {
              setEditing("new");
              setSaved(null);
            }}
          >
            Nuevo punto
          </button>
        )}
      </PageHeader>
      {saved && (
        <p role="status" className="notice" data-testid="saved">
          {saved}
        </p>
      )}
      {editing === "new" && (
        <section className="card section" aria-labelledby="np-title">
          <div className="row" style={{ justifyContent: "space-between" }}>
            <h2 id="np-title">Nuevo punto</h2>
            <button className="secondary small" onClick={() => setEditing(null)}>
              Cancelar
            </button>
          </div>
          {!clientId && (
            <div style={{ maxWidth: 360, marginBottom: ".8rem" }}>
              <label htmlFor="np-client">Cliente</label>
              <select id="np-client" value={createFor ?? ""} onChange={(e) => setTarget(Number(e.target.value))}>
                <ClientOptions clients={clients} />
              </select>
            </div>
          )}
          {createFor ? (
            <PointForm key={createFor} clientId={createFor} onDone={done("creado")} />
          ) : (
            <Loading what="clientes" />
          )}
        </section>
      )}
      <ErrorMsg error={points.error} />
      {points.isLoading ? (
        <Loading what="puntos" />
      ) : (
        <div className="table-wrap section">
          <table>
            <thead>
              <tr>
                <th>Punto</th>
                <th>Cliente</th>
                <th>Código de obra</th>
                <th>Tipo</th>
                <th>Estándar</th>
                <th className="num">Caudal otorgado (L/s)</th>
                <th>Estado</th>
                <th>DGA</th>
                <ActionsTh />
              </tr>
            </thead>
            <tbody>
              {points.data?.map((p) => (
                <Fragment key={p.id}>
                  <tr data-testid="admin-point-row">
                    <td>
                      <Link prefetch={false} href={href(`/points/${p.id}`)}>
                        {p.name}
                      </Link>
                    </td>
                    <td>{p.client.name}</td>
                    <td className="mono">{p.obraCode ?? "—"}</td>
                    <td>{label("kind", p.kind)}</td>
                    <td>{label("standard", p.dgaStandard)}</td>
                    <td className="num">{formatNumber(p.grantedFlowLps, 1)}</td>
                    <td>{label("status", p.status)}</td>
                    <td>{label("transport", p.dgaTransport)}</td>
                    <td>
                      <EditToggle
                        open={editing === p.id}
                        onToggle={() => setEditing(editing === p.id ? null : p.id)}
                        label="Editar"
                      />
                    </td>
                  </tr>
                  {editing === p.id && (
                    <tr className="edit-row">
                      <td colSpan={99}>
                        <div className="card">
                          <PointForm clientId={p.clientId} point={p} onDone={done("actualizado")} />
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
    <RequireScope scope="points:write" staff>
      <PointsAdmin />
    </RequireScope>
  );
}
