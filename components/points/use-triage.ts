"use client";
import { useQueries } from "@tanstack/react-query";
import { useMemo } from "react";
import { useTRPC } from "@/trpc/react";
import { pollInterval } from "@/components/live/live";
import type { Well } from "@/components/overview/action-list";

/** Each point's triage (state, reasons, urgency) for the given clients, by point id; one query per client. */
export function useTriage(clientIds: number[], live: boolean) {
  const trpc = useTRPC();
  const results = useQueries({
    queries: clientIds.map((clientId) => ({
      ...trpc.triage.client.queryOptions({ clientId }),
      refetchInterval: pollInterval(live),
    })),
  });
  const stamp = results.map((r) => r.dataUpdatedAt).join(",");
  return useMemo(() => {
    const m = new Map<number, Well>();
    for (const r of results) for (const w of r.data?.wells ?? []) m.set(w.pointId, w);
    return m;
  }, [stamp]);
}

export const isLateWell = (w: Well | undefined) =>
  !!w?.conditions.some((c) => c.kind === "delayed" || c.kind === "offline" || c.kind === "never_reported");
