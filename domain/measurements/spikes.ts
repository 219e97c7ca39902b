import type { SeriesRow } from "./assess";
import { isTrustedValue, type QualityName } from "./quality";
import type { Variable } from "./types";
import { median } from "@/domain/stats";

/** Spike settings (resolved from AssessConfig). */
export interface SpikeConfig {
  spikeWindow: number;
  spikeK: number;
  spikeFloor: number;
}

interface Pt {
  i: number;
  ts: number;
  v: number;
}
type Flag = (i: number, q: QualityName, reason: string) => void;

function madOf(xs: readonly number[]): number {
  const med = median(xs);
  return 1.4826 * median(xs.map((x) => Math.abs(x - med)));
}

/**
 * A spike is one reading that disagrees with its past AND its future, so it needs neighbours on both
 * sides (the newest reading is judged when the next arrives; the set-based recompute rewrites it).
 * Steps are states, not spikes: a value between the medians of its left and right neighbours (pump
 * start, drawdown onset, recovery) is never one. Flow: zero is the pump-off state and never a spike,
 * and a running value is compared only with running neighbours, so a stop (12.6 → 12.0 → 0) or a
 * short run between stops is quiet. Level: a value inside its neighbours' range is part of a
 * drawdown or recovery curve.
 */
export function flagSpikes(
  pts: readonly Pt[],
  variable: Variable,
  cfg: SpikeConfig,
  flag: Flag,
  pumpRanBetween: ((fromMs: number, toMs: number) => boolean) | null,
): void {
  const w = cfg.spikeWindow;
  const isFlow = variable === "flow";
  pts.forEach((p, k) => {
    if (isFlow && p.v === 0) return;
    // With the pump running around it, a level reading may sit anywhere on a drawdown or recovery curve
    // (a start or stop between two readings leaves one recovered or drawn-down value): not a spike.
    if (!isFlow && pumpRanBetween?.(pts[Math.max(0, k - w)]!.ts, pts[Math.min(pts.length - 1, k + w)]!.ts)) return;
    const keep = (x: Pt) => !isFlow || x.v > 0;
    const left = pts
      .slice(Math.max(0, k - w), k)
      .filter(keep)
      .map((x) => x.v);
    const right = pts
      .slice(k + 1, k + 1 + w)
      .filter(keep)
      .map((x) => x.v);
    if (left.length === 0 || right.length === 0 || left.length + right.length < 2) return;
    const nb = [...left, ...right];
    let lo: number;
    let hi: number;
    if (isFlow) {
      const [ml, mr] = [median(left), median(right)];
      [lo, hi] = [Math.min(ml, mr), Math.max(ml, mr)];
    } else {
      [lo, hi] = [Math.min(...nb), Math.max(...nb)];
    }
    const dev = p.v < lo ? lo - p.v : p.v > hi ? p.v - hi : 0;
    if (dev > cfg.spikeK * madOf(nb) && dev > cfg.spikeFloor)
      flag(p.i, "spike", `spike: ${p.v} vs neighbours ${lo === hi ? lo : `${lo}…${hi}`}`);
  });
}

/** Whether any trusted flow reading in [from − tol, to + tol] shows the pump running. */
export function pumpRunning(flow: readonly SeriesRow[], tolMs: number): (fromMs: number, toMs: number) => boolean {
  const on = flow
    .filter((r) => r.value !== null && r.value > 0 && isTrustedValue(r.quality))
    .map((r) => r.ts.getTime())
    .sort((a, b) => a - b);
  return (fromMs, toMs) => {
    let lo = 0;
    let hi = on.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (on[mid]! < fromMs - tolMs) lo = mid + 1;
      else hi = mid;
    }
    return lo < on.length && on[lo]! <= toMs + tolMs;
  };
}
