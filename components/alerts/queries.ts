/** Inputs of the anomaly list's query, shared with the server page that prefetches its first page (same input, same react-query key). */
export const ANOMALY_PAGE = 25;
export type AnomalyStateFilter = "open" | "acknowledged" | "resolved" | "";

/** `clientId` null: every client the user may see (staff "Todos los clientes"); the server decides which. */
export function anomaliesInput(
  clientId: number | null,
  opts: { pointId?: number; state: AnomalyStateFilter; offset: number },
) {
  return {
    ...(clientId ? { clientId } : {}),
    ...(opts.pointId ? { pointId: opts.pointId } : {}),
    ...(opts.state ? { state: opts.state } : {}),
    limit: ANOMALY_PAGE,
    offset: opts.offset,
  };
}
