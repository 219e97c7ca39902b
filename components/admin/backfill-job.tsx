"use client";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/trpc/react";
import { formatNumber } from "@/domain/format";

const STATE_LABEL: Record<string, string> = {
  waiting: "En cola",
  "waiting-children": "En cola",
  prioritized: "En cola",
  delayed: "Esperando reintento",
  active: "En curso",
  completed: "Terminado",
  failed: "Fallido",
  unknown: "Desconocido",
};

/** One collection/backfill job, polled every 2 s until it ends; progress = chunks done of chunks. */
export function BackfillJob({ id, pointName }: { id: string; pointName: string }) {
  const trpc = useTRPC();
  const q = useQuery({
    ...trpc.collection.job.queryOptions({ id }),
    retry: false,
    refetchInterval: (query) => (["completed", "failed"].includes(String(query.state.data?.state)) ? false : 2_000),
  });
  const state = String(q.data?.state ?? "waiting");
  const p = (q.data?.progress ?? null) as { chunk?: number; chunks?: number; stored?: number } | number | null;
  const pct =
    state === "completed" ? 100 : typeof p === "number" ? p : p?.chunks ? ((p.chunk ?? 0) / p.chunks) * 100 : 0;
  const stored = typeof p === "object" && p ? p.stored : undefined;
  return (
    <li className="card" style={{ marginBottom: ".5rem" }} data-testid="backfill-job">
      <div className="row" style={{ justifyContent: "space-between" }}>
        <strong>{pointName}</strong>
        <span className={`badge ${state === "completed" ? "ok" : state === "failed" ? "bad" : "info"}`}>
          {STATE_LABEL[state] ?? state}
        </span>
      </div>
      <div
        className={`progress ${state === "failed" ? "bad" : ""}`}
        role="progressbar"
        aria-label={`Avance del backfill de ${pointName}`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(pct)}
        style={{ marginTop: ".5rem" }}
      >
        <span style={{ width: `${pct}%` }} />
      </div>
      <p className="small muted" style={{ margin: ".3rem 0 0" }}>
        {formatNumber(pct, 0)} %{typeof p === "object" && p?.chunks ? ` · tramo ${p.chunk ?? 0} de ${p.chunks}` : ""}
        {stored != null ? ` · ${stored} lecturas guardadas` : ""}
        {q.data?.failedReason ? <span className="error"> · {q.data.failedReason}</span> : null}
        {q.error ? <span className="error"> · {q.error.message}</span> : null}
      </p>
    </li>
  );
}
