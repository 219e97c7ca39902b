"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/trpc/react";
import { ErrorMsg, Loading } from "@/components/ui/states";
import { CHANNEL_LABEL, SEVERITY_LABEL } from "@/components/alerts/labels";
import { RuleEditor, type EditableRule } from "./rule-editor";
import { BuiltinDefaults } from "./builtin-defaults";
import { PointGroups } from "./groups";

/**
 * The rules that apply to a point (its own, its group's, the client's), editable with a preview on this point's
 * last 30 days; the built-in rules as editable defaults; and the client's groups of points.
 */
export function PointRules({ pointId, clientId, canWrite }: { pointId: number; clientId: number; canWrite: boolean }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const rules = useQuery(trpc.alertRules.list.queryOptions({ clientId, pointId }));
  const groups = useQuery(trpc.alertGroups.list.queryOptions({ clientId }));
  const del = useMutation(
    trpc.alertRules.delete.mutationOptions({
      onSuccess: () => qc.invalidateQueries({ queryKey: trpc.alertRules.pathKey() }),
    }),
  );
  const [editing, setEditing] = useState<number | "new" | null>(null);
  const [msg, setMsg] = useState<string | null>(null);
  const done = (m: string) => {
    setEditing(null);
    setMsg(m || null);
  };
  const groupList = (groups.data ?? []).map((g) => ({ id: g.id, name: g.name }));
  const myGroup = groups.data?.find((g) => g.pointIds.includes(pointId)) ?? null;
  return (
    <div className="stack">
      <section className="card stack" aria-labelledby="ar-title" data-testid="point-rules">
        <div className="row" style={{ justifyContent: "space-between" }}>
          <h2 id="ar-title" style={{ margin: 0 }}>
            Reglas de alerta del punto
          </h2>
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
          <p role="status" className="notice" data-testid="alert-rules-msg">
            {msg}
          </p>
        )}
        <ErrorMsg error={rules.error ?? del.error} />
        {rules.isLoading ? (
          <Loading what="reglas" />
        ) : rules.data?.length ? (
          <ul className="stack" style={{ paddingLeft: "1.2em" }}>
            {rules.data.map((r) => (
              <li key={r.id} data-testid="alert-rule">
                <strong>{r.name}</strong>: {r.text} · {SEVERITY_LABEL[r.severity] ?? r.severity} ·{" "}
                {r.channels.map((c) => CHANNEL_LABEL[c] ?? c).join(", ")}
                <span className="muted">
                  {r.pointId !== null
                    ? " (este punto)"
                    : r.groupId !== null
                      ? ` (grupo «${r.group?.name ?? r.groupId}»)`
                      : " (todos los puntos)"}
                  {r.active ? "" : " · inactiva"}
                </span>
                {canWrite && (
                  <>
                    {" "}
                    <button
                      className="link"
                      aria-expanded={editing === r.id}
                      onClick={() => {
                        setEditing(editing === r.id ? null : r.id);
                        setMsg(null);
                      }}
                    >
                      {editing === r.id ? "Cerrar" : "Editar"}
                    </button>{" "}
                    <button
                      className="link"
                      onClick={() => {
                        if (window.confirm(`¿Eliminar la regla «${r.name}»?`)) del.mutate({ id: r.id });
                      }}
                    >
                      Eliminar
                    </button>
                  </>
                )}
                {editing === r.id && (
                  <div className="card" style={{ marginTop: "0.5em" }}>
                    <RuleEditor
                      clientId={clientId}
                      pointId={pointId}
                      groups={groupList}
                      rule={r as unknown as EditableRule}
                      onDone={done}
                    />
                  </div>
                )}
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">Sin reglas propias; las reglas integradas siguen activas.</p>
        )}
        {editing === "new" && (
          <div className="card">
            <h3>Nueva regla</h3>
            <RuleEditor clientId={clientId} pointId={pointId} groups={groupList} onDone={done} />
          </div>
        )}
      </section>
      <BuiltinDefaults clientId={clientId} pointId={pointId} group={myGroup} canWrite={canWrite} />
      <PointGroups clientId={clientId} pointId={pointId} canWrite={canWrite} />
    </div>
  );
}
