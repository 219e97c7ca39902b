"use client";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/trpc/react";
import { useScope } from "@/components/shell/scope";
import { PageHeader, RequireScope } from "@/components/ui/page";
import { ErrorMsg, Loading } from "@/components/ui/states";
import { BackfillJob } from "@/components/admin/backfill-job";
import { LABELS, label } from "@/domain/labels";
import { userErrorText } from "@/domain/i18n/errors";
import { formatDateTime } from "@/domain/format";

type Kind = "tdata" | "tts" | "thethingsio" | "tago" | "custom";
const HEALTH: Record<string, [string, string]> = {
  ok: ["ok", "Al día"],
  error: ["bad", "Con error"],
  stale: ["warn", "Atrasada"],
  idle: ["", "Sin datos aún"],
  inactive: ["", "Inactiva"],
};

function Backfill() {
  const trpc = useTRPC();
  const { clientId } = useScope();
  const providers = useQuery(trpc.collection.providers.queryOptions({}));
  const points = useQuery(trpc.points.list.queryOptions(clientId ? { clientId } : {}));
  const run = useMutation(trpc.collection.run.mutationOptions());
  const [kind, setKind] = useState<Kind>("tdata");
  const [err, setErr] = useState<string | null>(null);
  const candidates = (points.data ?? []).filter((p) => p.bindings.some((b) => b.account.kind === kind));
  const names = new Map((points.data ?? []).map((p) => [p.id, p.name]));

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const pointIds = f.getAll("pointIds").map(Number);
    const from = String(f.get("from") ?? "");
    const to = String(f.get("to") ?? "");
    if (!!from !== !!to) return setErr("Indique desde y hasta, o ninguno para recolectar ahora.");
    if (from && to && new Date(from) >= new Date(to)) return setErr("«Desde» debe ser anterior a «hasta».");
    setErr(null);
    await run.mutateAsync({
      provider: kind,
      ...(pointIds.length ? { pointIds } : {}),
      ...(from ? { from: new Date(from).toISOString(), to: new Date(to).toISOString() } : {}),
    });
  }

  return (
    <>
      <PageHeader
        title="Recolección y backfill"
        subtitle="Pida ahora los datos a un proveedor, o recupere un período pasado (backfill)"
      />
      <section className="card" aria-labelledby="health-title">
        <h2 id="health-title">Cuentas de proveedor</h2>
        <ErrorMsg error={providers.error} />
        {providers.isLoading ? (
          <Loading what="cuentas" />
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th>Cuenta</th>
                  <th>Proveedor</th>
                  <th className="num">Vinculaciones</th>
                  <th>Salud</th>
                  <th>Último éxito</th>
                  <th>Último error</th>
                </tr>
              </thead>
              <tbody>
                {providers.data?.accounts.map((a) => (
                  <tr key={a.id}>
                    <td>{a.name}</td>
                    <td>{label("provider", a.kind)}</td>
                    <td className="num">{a.bindings}</td>
                    <td>
                      <span className={`badge ${HEALTH[a.health]?.[0] ?? ""}`}>
                        {HEALTH[a.health]?.[1] ?? a.health}
                      </span>
                    </td>
                    <td>{a.lastSuccessAt ? formatDateTime(a.lastSuccessAt) : "—"}</td>
                    <td className="small">
                      {a.lastErrorAt ? (
                        <span className="error" title={a.lastError ?? ""}>
                          {formatDateTime(a.lastErrorAt)} · {userErrorText(a.lastError)}
                        </span>
                      ) : (
                        "—"
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <form className="card section stack" onSubmit={onSubmit} aria-labelledby="bf-title">
        <h2 id="bf-title">Nueva recolección</h2>
        <div className="form-grid">
          <div>
            <label htmlFor="bf-kind">Proveedor</label>
            <select id="bf-kind" value={kind} onChange={(e) => setKind(e.target.value as Kind)}>
              {(Object.keys(LABELS.provider) as Kind[]).map((k) => (
                <option key={k} value={k}>
                  {LABELS.provider[k]}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor="bf-from">Desde (opcional)</label>
            <input id="bf-from" name="from" type="datetime-local" />
          </div>
          <div>
            <label htmlFor="bf-to">Hasta (opcional)</label>
            <input id="bf-to" name="to" type="datetime-local" />
          </div>
          <div className="full">
            <label htmlFor="bf-points">
              Puntos ({candidates.length} con {label("provider", kind)}; ninguno = todos)
            </label>
            <select id="bf-points" name="pointIds" multiple size={Math.min(8, Math.max(3, candidates.length))}>
              {candidates.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name} — {p.client.name}
                </option>
              ))}
            </select>
          </div>
        </div>
        {err && (
          <p role="alert" className="error">
            {err}
          </p>
        )}
        <ErrorMsg error={run.error} />
        <button type="submit" disabled={run.isPending}>
          {run.isPending ? "Encolando…" : "Recolectar"}
        </button>
      </form>
      {run.data && (
        <section className="section" aria-labelledby="jobs-title" aria-live="polite">
          <h2 id="jobs-title">
            {run.data.backfill ? "Backfill" : "Recolección"} en curso: {run.data.jobs.length} trabajos
          </h2>
          <ul style={{ listStyle: "none", padding: 0 }}>
            {run.data.jobs.map((j) => (
              <BackfillJob key={j.id} id={j.id} pointName={names.get(j.pointId) ?? `Punto ${j.pointId}`} />
            ))}
          </ul>
        </section>
      )}
    </>
  );
}

export default function Page() {
  return (
    <RequireScope scope="collect:run" staff>
      <Backfill />
    </RequireScope>
  );
}
