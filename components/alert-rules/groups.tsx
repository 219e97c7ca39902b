"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/trpc/react";
import { Field } from "@/components/ui/field";
import { ErrorMsg, Loading } from "@/components/ui/states";

type Group = { id: number; name: string; pointIds: number[]; points: { id: number; name: string }[] };

/**
 * The client's groups of points (e.g. "Sector norte"): rules and built-in settings can target a group. A point is
 * in one group at most; adding it to a group takes it out of the previous one.
 */
export function PointGroups({ clientId, pointId, canWrite }: { clientId: number; pointId: number; canWrite: boolean }) {
  const trpc = useTRPC();
  const groups = useQuery(trpc.alertGroups.list.queryOptions({ clientId }));
  const [editing, setEditing] = useState<number | "new" | null>(null);
  const mine = groups.data?.find((g) => g.pointIds.includes(pointId));
  return (
    <section className="card stack" aria-labelledby="pg-title" data-testid="point-groups">
      <div className="row" style={{ justifyContent: "space-between" }}>
        <h2 id="pg-title" style={{ margin: 0 }}>
          Grupos de puntos
        </h2>
        {canWrite && editing !== "new" && (
          <button className="secondary" onClick={() => setEditing("new")}>
            Nuevo grupo
          </button>
        )}
      </div>
      <p className="muted" style={{ margin: 0 }}>
        {mine ? `Este punto pertenece al grupo «${mine.name}».` : "Este punto no pertenece a ningún grupo."}
      </p>
      <ErrorMsg error={groups.error} />
      {groups.isLoading ? (
        <Loading what="grupos" />
      ) : (
        <ul>
          {groups.data?.map((g) => (
            <li key={g.id} data-testid="point-group">
              <strong>{g.name}</strong>: {g.points.map((p) => p.name).join(", ") || "sin puntos"}
              {canWrite && (
                <>
                  {" "}
                  <button className="link" onClick={() => setEditing(editing === g.id ? null : g.id)}>
                    {editing === g.id ? "Cerrar" : "Editar"}
                  </button>
                </>
              )}
              {editing === g.id && <GroupForm clientId={clientId} group={g} onDone={() => setEditing(null)} />}
            </li>
          ))}
        </ul>
      )}
      {editing === "new" && (
        <GroupForm clientId={clientId} initialPointIds={[pointId]} onDone={() => setEditing(null)} />
      )}
    </section>
  );
}

function GroupForm({
  clientId,
  group,
  initialPointIds = [],
  onDone,
}: {
  clientId: number;
  group?: Group;
  initialPointIds?: number[];
  onDone: () => void;
}) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const points = useQuery(trpc.points.list.queryOptions({ clientId }));
  const invalidate = {
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: trpc.alertGroups.pathKey() });
      void qc.invalidateQueries({ queryKey: trpc.alertDefaults.pathKey() });
      void qc.invalidateQueries({ queryKey: trpc.alertRules.pathKey() });
      onDone();
    },
  };
  const create = useMutation(trpc.alertGroups.create.mutationOptions(invalidate));
  const update = useMutation(trpc.alertGroups.update.mutationOptions(invalidate));
  const del = useMutation(trpc.alertGroups.delete.mutationOptions(invalidate));
  const selected = new Set(group?.pointIds ?? initialPointIds);
  return (
    <form
      className="stack card"
      aria-label={group ? `Editar grupo ${group.name}` : "Nuevo grupo"}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        const input = { name: String(f.get("name") ?? ""), pointIds: f.getAll("pointIds").map(Number) };
        if (group) update.mutate({ id: group.id, ...input });
        else create.mutate({ clientId, ...input });
      }}
    >
      <Field label="Nombre del grupo">
        <input name="name" defaultValue={group?.name ?? ""} placeholder="Sector norte" />
      </Field>
      <fieldset className="row" style={{ flexWrap: "wrap" }}>
        <legend>Puntos</legend>
        {points.data?.map((p) => (
          <label key={p.id}>
            <input type="checkbox" name="pointIds" value={p.id} defaultChecked={selected.has(p.id)} /> {p.name}
          </label>
        ))}
      </fieldset>
      <div className="row">
        <button type="submit" disabled={points.isLoading || create.isPending || update.isPending}>
          Guardar grupo
        </button>
        {group && (
          <button
            type="button"
            className="secondary"
            onClick={() => {
              if (window.confirm(`¿Eliminar el grupo «${group.name}» y sus reglas?`)) del.mutate({ id: group.id });
            }}
          >
            Eliminar grupo
          </button>
        )}
        <button type="button" className="secondary" onClick={onDone}>
          Cancelar
        </button>
      </div>
      <ErrorMsg error={create.error ?? update.error ?? del.error} />
    </form>
  );
}
