"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Fragment, useState } from "react";
import { useTRPC } from "@/trpc/react";
import { ErrorMsg, Loading } from "@/components/ui/states";
import { CHANNEL_LABEL, SEVERITY_LABEL, anomalyLabel } from "./labels";
import { RuleForm } from "./rule-form";
import { ActionsTh, EditToggle } from "@/components/ui/table-actions";

/** Who gets told about which events, through which channel; editable with notifications:write. */
export function RulesEditor({ clientId, canWrite }: { clientId: number; canWrite: boolean }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const rules = useQuery(trpc.notificationRules.list.queryOptions({ clientId }));
  const del = useMutation(
    trpc.notificationRules.delete.mutationOptions({
      onSuccess: () => qc.invalidateQueries({ queryKey: trpc.notificationRules.pathKey() }),
    }),
  );
  const [editing, setEditing] = useState<number | "new" | null>(null);
  const [msg, setMsg] = useState<string | null>(null);
  const done = (m: string) => {
    setEditing(null);
    setMsg(m);
  };
  return (
    <div className="stack">
      <div className="row" style={{ justifyContent: "space-between" }}>
        <p className="muted" style={{ margin: 0 }}>
          Cada regla avisa a un destinatario cuando ocurre alguno de sus eventos con la severidad mínima indicada.
        </p>
        {canWrite && editing !== "new" && (
          <button
            onClick={() => {
              setEditing("new");
              setMsg(null);
            }}
          >
            Nueva regla
          </button>
        )}
      </div>
      {msg && (
        <p role="status" className="notice" data-testid="rules-msg">
          {msg}
        </p>
      )}
      {editing === "new" && (
        <div className="card">
          <h3>Nueva regla</h3>
          <RuleForm clientId={clientId} onDone={done} />
        </div>
      )}
      <ErrorMsg error={rules.error ?? del.error} />
      {rules.isLoading ? (
        <Loading what="reglas" />
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th>Regla</th>
                <th>Eventos</th>
                <th>Canal y destinatario</th>
                <th>Severidad mínima</th>
                <th>Estado</th>
                {canWrite && <ActionsTh />}
              </tr>
            </thead>
            <tbody>
              {rules.data?.map((r) => (
                <Fragment key={r.id}>
                  <tr data-testid="rule-row">
                    <td>
                      <strong>{r.name}</strong>
                    </td>
                    <td className="small">{r.events.map(anomalyLabel).join(", ")}</td>
                    <td>
                      {CHANNEL_LABEL[r.channel] ?? r.channel}
                      <div className="small muted" style={{ wordBreak: "break-all" }}>
                        {r.target}
                      </div>
                    </td>
                    <td>{SEVERITY_LABEL[r.minSeverity] ?? r.minSeverity}</td>
                    <td>
                      <span className={`badge ${r.active ? "ok" : ""}`}>{r.active ? "Activa" : "Inactiva"}</span>
                    </td>
                    {canWrite && (
                      <td className="nowrap">
                        <EditToggle
                          open={editing === r.id}
                          onToggle={() => setEditing(editing === r.id ? null : r.id)}
                          label="Editar"
                        />{" "}
                        <button
                          className="secondary small"
                          onClick={() => {
                            if (window.confirm(`¿Eliminar la regla «${r.name}»?`)) del.mutate({ id: r.id });
                          }}
                        >
                          Eliminar
                        </button>
                      </td>
                    )}
                  </tr>
                  {editing === r.id && (
                    <tr className="edit-row">
                      <td colSpan={99}>
                        <div className="card">
                          <RuleForm clientId={clientId} rule={r} onDone={done} />
                        </div>
                      </td>
                    </tr>
                  )}
                </Fragment>
              ))}
              {rules.data?.length === 0 && (
                <tr>
                  <td colSpan={6}>Sin reglas: nadie recibe avisos fuera del portal.</td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
