"use client";
import { useQueries, useQueryClient } from "@tanstack/react-query";
import { useEffect, useMemo, useRef, useState } from "react";
import { useTRPC } from "@/trpc/react";
import type { AppRouter } from "@/server/trpc/root";
import type { inferRouterOutputs } from "@trpc/server";

export type PointRealtime = inferRouterOutputs<AppRouter>["analytics"]["clientRealtime"]["points"][number];

/** Fallback polling when the event stream is down. */
const POLL_MS = 30_000;
/** Data this young counts as fresh (the QueryClient's staleTime in app/providers.tsx). */
const FRESH_MS = 15_000;
/** Stream events refresh the triage (state, reasons, DGA holes) at most this often. */
const TRIAGE_MIN_MS = 30_000;

/**
 * Live updates: one EventSource on /api/v1/realtime/stream; every event invalidates the analytics
 * and triage queries (throttled), so the page refreshes without reload. While the stream is not open the
 * queries poll instead (react-query refetchInterval).
 */
export function useLiveStream(clientId: number | null): { live: boolean; lastEventAt: Date | null } {
  const qc = useQueryClient();
  const trpc = useTRPC();
  const [live, setLive] = useState(false);
  const [lastEventAt, setLastEventAt] = useState<Date | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  useEffect(() => {
    if (typeof EventSource === "undefined") return;
    const es = new EventSource(`/api/v1/realtime/stream${clientId ? `?clientId=${clientId}` : ""}`);
    // Every (re)connection starts with a snapshot: it refreshes only data older than FRESH_MS, so a page
    // whose data was just loaded (or prefetched by the server) is not fetched and drawn a second time.
    let onlyStale = false;
    const bump = (ev: Event) => {
      setLastEventAt(new Date());
      onlyStale = ev.type === "snapshot" && (timer.current == null || onlyStale);
      if (timer.current) return;
      timer.current = setTimeout(() => {
        timer.current = null;
        const before = Date.now() - FRESH_MS;
        void qc.invalidateQueries({
          queryKey: trpc.analytics.pathKey(),
          ...(onlyStale ? { predicate: (q) => q.state.dataUpdatedAt < before } : {}),
        });
        // Triage also weighs the DGA month, so it refreshes on events at most every TRIAGE_MIN_MS.
        const triageBefore = Date.now() - TRIAGE_MIN_MS;
        void qc.invalidateQueries({
          queryKey: trpc.triage.pathKey(),
          predicate: (q) => q.state.dataUpdatedAt < triageBefore,
        });
      }, 2_000);
    };
    es.onopen = () => setLive(true);
    es.onerror = () => setLive(false);
    for (const ev of ["snapshot", "latest", "status"]) es.addEventListener(ev, bump);
    return () => {
      es.close();
      if (timer.current) clearTimeout(timer.current);
      timer.current = null;
      setLive(false);
    };
  }, [clientId, qc, trpc]);
  return { live, lastEventAt };
}

/**
 * DGA figures change when the submitter acts, which the event stream does not announce: they poll
 * every minute whether the stream is up or not, so "En vivo" never freezes them.
 */
export const COMPLIANCE_POLL_MS = 60_000;

export function pollInterval(live: boolean): number | false {
  return live ? false : POLL_MS;
}

/** Latest values and state of every point of the given clients, by point id. */
export function useRealtime(clientIds: number[], live: boolean) {
  const trpc = useTRPC();
  const results = useQueries({
    queries: clientIds.map((clientId) => ({
      ...trpc.analytics.clientRealtime.queryOptions({ clientId }),
      refetchInterval: pollInterval(live),
    })),
  });
  const stamp = results.map((r) => r.dataUpdatedAt).join(",");
  const byPoint = useMemo(() => {
    const m = new Map<number, PointRealtime>();
    for (const r of results) for (const p of r.data?.points ?? []) m.set(p.pointId, p);
    return m;
  }, [stamp]);
  return { byPoint, loading: results.some((r) => r.isLoading), at: results[0]?.data?.at ?? null };
}

export function LiveBadge({ live }: { live: boolean }) {
  return (
    <span
      className={`badge ${live ? "ok" : ""}`}
      role="status"
      title={live ? "Actualización en vivo por eventos del servidor" : "Actualización periódica cada 30 s"}
    >
      <span className="dot" style={{ background: live ? "#2e9d46" : "#7b8893" }} aria-hidden="true" />
      {live ? "En vivo" : "Actualización cada 30 s"}
    </span>
  );
}
