/** Inputs of the anomaly list's query, shared with the server page that prefetches its first page (same input, same react-query key). */
export const ANOMALY_PAGE = 25;
export type AnomalyStateFilter = "open" | "acknowledged" | "resolved" | "";

export function anomaliesInput(
  clientId: number,
  opts: { pointId?: number; state: AnomalyStateFilter; offset: number },
) {
  return {
    clientId,
    ...(opts.pointId ? { pointId: opts.pointId } : {}),
    ...(opts.state ? { state: opts.state } : {}),
    limit: ANOMALY_PAGE,
    offset: opts.offset,
  };
}
