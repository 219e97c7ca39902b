import type { KindConfig } from "@/server/integrations/providers/config";

export interface Window {
  from: Date;
  to: Date;
}

/**
 * The window a scheduled poll reads: from the watermark minus the overlap (late data), or the
 * initial lookback, to now minus the provider's lag; never longer than the retention allows.
 */
export function scheduledWindow(watermarkAt: Date | null, cfg: KindConfig, now: Date): Window {
  const to = now.getTime() - cfg.lagMs;
  const wanted = watermarkAt ? Math.min(watermarkAt.getTime(), to) - cfg.overlapMs : to - cfg.initialLookbackMs;
  const from = Math.max(wanted, to - cfg.maxWindowMs);
  return { from: new Date(Math.min(from, to - 1000)), to: new Date(to) };
}

/** An explicit window clipped to what the provider can have (not after now − lag, not before retention). */
export function explicitWindow(from: Date, to: Date, cfg: KindConfig, now: Date): Window | null {
  const hi = Math.min(to.getTime(), now.getTime() - cfg.lagMs);
  const lo = Math.max(from.getTime(), now.getTime() - cfg.maxWindowMs);
  return lo < hi ? { from: new Date(lo), to: new Date(hi) } : null;
}

/** Consecutive chunks, oldest first, so a watermark advanced after each chunk never skips data. */
export function chunks(w: Window, chunkMs: number): Window[] {
  const out: Window[] = [];
  for (let t = w.from.getTime(); t < w.to.getTime(); t += chunkMs)
    out.push({ from: new Date(t), to: new Date(Math.min(t + chunkMs, w.to.getTime())) });
  return out;
}

/** Start of the fixed-size slot containing `now` (epoch-aligned): the deterministic part of job ids. */
export const slotStart = (now: Date, sizeMs: number) => new Date(Math.floor(now.getTime() / sizeMs) * sizeMs);
