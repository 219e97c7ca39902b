/** /api/metrics access: Bearer METRICS_TOKEN when set; without a token only outside production. */
export function metricsAuthorized(
  authorization: string | null | undefined,
  e: { METRICS_TOKEN?: string; NODE_ENV: string },
): boolean {
  if (e.METRICS_TOKEN) return authorization === `Bearer ${e.METRICS_TOKEN}`;
  return e.NODE_ENV !== "production";
}
