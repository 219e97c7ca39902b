"use client";
import { useQuery } from "@tanstack/react-query";
import { Fragment, useState } from "react";
import { useTRPC } from "@/trpc/react";
import { useScope } from "@/components/shell/scope";
import { PageHeader, RequireScope } from "@/components/ui/page";
import { ErrorMsg, Loading } from "@/components/ui/states";
import { OnceSecret } from "@/components/ui/once-secret";
import { AccountForm } from "@/components/admin/account-form";
import { BindingsPanel } from "@/components/admin/bindings-panel";
import { RejectedPayloads } from "@/components/admin/rejected-payloads";
import { MeterChangeForm } from "@/components/admin/meter-change-form";
import { label } from "@/domain/labels";
import { userErrorText } from "@/domain/i18n/errors";
import { formatDateTime } from "@/domain/format";
import { ActionsTh, EditToggle } from "@/components/ui/table-actions";

function ProvidersAdmin() {
  const trpc = useTRPC();
  const { clientId } = useScope();
  const all = useQuery(trpc.providers.listAccounts.queryOptions({}));
  // With a client chosen: its own accounts and the platform ones it can use.
  const accounts = {
    ...all,
    data: all.data?.filter((a) => !clientId || a.clientId == null || a.clientId === clientId),
  };
  const points = useQuery(trpc.points.list.queryOptions(clientId ? { clientId } : {}));
  const [editing, setEditing] = useState<number | "new" | null>(null);
  const [inspecting, setInspecting] = useState<number | null>(null);
  const [result, setResult] = useState<{ msg: string; secret?: string } | null>(null);
  const [pointId, setPointId] = useState<number | null>(null);
  const point = points.data?.find((p) => p.id === pointId) ?? null;
  const done = (r: { msg: string; secret?: string }) => {
    setEditing(null);
    setResult(r);
  };
  return (
    <>
      <PageHeader
        title="Proveedores"
        subtitle="Cuentas de proveedores de telemetría y vinculación de dispositivos con puntos"
      >
        {editing !== "new" && (
          <button
            onClick={() => {
              setEditing("new");
              setResult(null);
            }}
          >
            Nueva cuenta
          </button>
        )}
      </PageHeader>
      {result && !result.secret && (
        <p role="status" className="notice">
          {result.msg}
        </p>
      )}
      {result?.secret && (
        <OnceSecret
          title={`${result.msg} Secreto de push para los webhooks:`}
          value={result.secret}
          onDone={() => setResult({ msg: result.msg })}
        />
      )}
      {editing === "new" && (
        <section className="card section" aria-labelledby="na-title">
          <div className="row" style={{ justifyContent: "space-between" }}>
            <h2 id="na-title">Nueva cuenta de proveedor</h2>
            <button className="secondary small" onClick={() => setEditing(null)}>
              Cancelar
            </button>
          </div>
          <AccountForm onDone={done} />
        </section>
      )}
      <h2 className="section">Cuentas</h2>
      <ErrorMsg error={accounts.error} />
      {accounts.isLoading ? (
        <Loading what="cuentas" />
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th>Cuenta</th>
                <th>Proveedor</th>
                <th>Ámbito</th>
                <th>Credenciales</th>
                <th>Último éxito / error</th>
                <th>Estado</th>
                <ActionsTh />
              </tr>
            </thead>
            <tbody>
              {accounts.data?.map((a) => (
                <Fragment key={a.id}>
                  <tr data-testid="account-row">
                    <td>
                      <strong>{a.name}</strong>
                      <div className="muted small mono">{a.baseUrl}</div>
                    </td>
                    <td>{label("provider", a.kind)}</td>
                    <td>{a.clientId ? "Cliente" : "Plataforma"}</td>
                    <td>
                      {a.hasCredentials ? "Guardadas (ocultas)" : "—"}
                      {a.hasPushSecret && <div className="small muted">Secreto de push activo</div>}
                    </td>
                    <td className="small">
                      {a.lastSuccessAt ? <div className="ok-text">{formatDateTime(a.lastSuccessAt)}</div> : "—"}
                      {a.lastErrorAt && (
                        <div className="error" title={a.lastError ?? ""}>
                          {formatDateTime(a.lastErrorAt)} · {userErrorText(a.lastError)}
                        </div>
                      )}
                    </td>
                    <td>
                      <span className={`badge ${a.active ? "ok" : ""}`}>{a.active ? "Activa" : "Inactiva"}</span>
                    </td>
                    <td>
                      <EditToggle
                        open={editing === a.id}
                        onToggle={() => setEditing(editing === a.id ? null : a.id)}
                        label="Editar"
                      />{" "}
                      <button
                        className="secondary small"
                        aria-expanded={inspecting === a.id}
                        onClick={() => setInspecting(inspecting === a.id ? null : a.id)}
                      >
                        Rechazados
                      </button>
                    </td>
                  </tr>
                  {inspecting === a.id && (
                    <tr className="edit-row">
                      <td colSpan={99}>
                        <div className="card">
                          <RejectedPayloads accountId={a.id} />
                        </div>
                      </td>
                    </tr>
                  )}
                  {editing === a.id && (
                    <tr className="edit-row">
                      <td colSpan={99}>
                        <div className="card">
                          <AccountForm account={a} onDone={done} />
                        </div>
                      </td>
                    </tr>
                  )}
                </Fragment>
              ))}
              {accounts.data?.length === 0 && (
                <tr>
                  <td colSpan={7}>Sin cuentas.</td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      )}
      <section className="section card" aria-labelledby="bind-title">
        <h2 id="bind-title">Vinculaciones de un punto</h2>
        <div style={{ maxWidth: 420, marginBottom: ".8rem" }}>
          <label htmlFor="bind-point">Punto</label>
          <select
            id="bind-point"
            value={pointId ?? ""}
            onChange={(e) => setPointId(e.target.value ? Number(e.target.value) : null)}
          >
            <option value="">Elija un punto…</option>
            {points.data?.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name} — {p.client.name}
              </option>
            ))}
          </select>
        </div>
        {point && <BindingsPanel key={point.id} pointId={point.id} clientId={point.clientId} canWrite />}
      </section>
      {point && <MeterChangeForm key={`meter-${point.id}`} pointId={point.id} />}
    </>
  );
}

export default function Page() {
  return (
    <RequireScope scope="providers:write" staff>
      <ProvidersAdmin />
    </RequireScope>
  );
}
