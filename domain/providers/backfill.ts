/**
 * What a requested backfill window can actually read. Providers keep data for a limited time (TTS
 * Cloud 30 d, TTN Sandbox 24 h, Tago per device): asking for older data silently returns nothing,
 * so a window wholly beyond retention is refused and one that straddles it is clipped and says so.
 */
export type BackfillPlan =
  | { kind: "ok"; from: Date; to: Date }
  | { kind: "clipped"; from: Date; to: Date; requestedFrom: Date; reason: string }
  | { kind: "refused"; reason: string };

export function planBackfill(
  requested: { from: Date; to: Date },
  limits: { retentionMs: number; lagMs: number },
  now: Date,
): BackfillPlan {
  const oldest = now.getTime() - limits.retentionMs;
  const newest = now.getTime() - limits.lagMs;
  const retentionDays = Math.round((limits.retentionMs / 86_400_000) * 10) / 10;
  if (requested.to.getTime() <= oldest) {
    return {
      kind: "refused",
      reason: `the window ends before the provider's retention (${retentionDays} d, data older than ${new Date(oldest).toISOString()} are gone)`,
    };
  }
  const to = new Date(Math.min(requested.to.getTime(), newest));
  if (to.getTime() <= requested.from.getTime())
    return { kind: "refused", reason: `the window starts after now − lag (${new Date(newest).toISOString()})` };
  if (requested.from.getTime() < oldest) {
    return {
      kind: "clipped",
      from: new Date(oldest),
      to,
      requestedFrom: requested.from,
      reason: `clipped to the provider's retention (${retentionDays} d): data before ${new Date(oldest).toISOString()} are gone`,
    };
  }
  return { kind: "ok", from: requested.from, to };
}
