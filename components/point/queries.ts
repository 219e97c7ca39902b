import { RAW_MAX_MS } from "@/domain/ui/chart";

/**
 * The inputs of the point-detail queries, shared by the browser components and the server page
 * that prefetches them: the same input gives the same react-query key, so prefetched data is used as is.
 */
export const HISTORY_VARIABLES = ["flow", "totalizer", "level"] as const;

export function historyInput(pointId: number, from: Date, to: Date) {
  return {
    id: pointId,
    from,
    to,
    variables: [...HISTORY_VARIABLES],
    ...(to.getTime() - from.getTime() <= RAW_MAX_MS ? { bucket: "raw" as const } : {}),
  };
}

/** Extraction per day (per month past ~2 months); whole days, so a 1 h window still shows today's extraction. */
export function consumptionInput(clientId: number, pointId: number, from: Date, to: Date) {
  const granularity: "day" | "month" = to.getTime() - from.getTime() > 62 * 86_400_000 ? "month" : "day";
  return { clientId, pointId, from: new Date(Math.min(from.getTime(), to.getTime() - 86_400_000)), to, granularity };
}

/** The range the point page opens with. */
export const DEFAULT_PRESET = "24h" as const;
