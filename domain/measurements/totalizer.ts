import type { SeriesRow } from "./assess";
import { meterChangeBetween, type MeterChange } from "./meter-change";
import { isTrustedValue, type QualityName } from "./quality";

/** Totalizer settings (resolved from AssessConfig). */
export interface TotalizerConfig {
  confirm: number;
  rollover: number | null;
  margin: number;
  maxRate: number | null;
  meterChanges: readonly MeterChange[];
  frozenSamples: number;
  frozenFlow: number;
}

export interface Pt {
  i: number;
  ts: number;
  v: number;
}
export type Flag = (i: number, q: QualityName, reason: string) => void;

/** Walks a totalizer series keeping a chain of accepted values; see the assess.ts docs for the reset/glitch rule. */
export function assessTotalizer(pts: readonly Pt[], cfg: TotalizerConfig, flag: Flag): number[] {
  const acc: number[] = [];
  const K = cfg.confirm;
  const implausibleJump = (ref: Pt, x: Pt) =>
    cfg.maxRate !== null && x.v > ref.v && ((x.v - ref.v) * 1000) / ((x.ts - ref.ts) / 1000) > cfg.maxRate;
  let p = 0;
  while (p < pts.length) {
    const cur = pts[p]!;
    const ref = acc.length ? pts[acc[acc.length - 1]!]! : null;
    if (!ref) {
      acc.push(p++);
      continue;
    }
    const declared = meterChangeBetween(cfg.meterChanges, ref.ts, cur.ts);
    if (declared) {
      flag(
        cur.i,
        "reset",
        `meter replaced at ${declared.at.toISOString()} (declared): counts from ${declared.newInitialM3} m3`,
      );
      acc.push(p++);
      continue;
    }
    const R = cfg.rollover;
    if (R !== null && ref.v >= (1 - cfg.margin) * R && cur.v <= cfg.margin * R && cur.v < ref.v) {
      const next = pts[p + 1];
      if (!next || next.v < ref.v) {
        flag(cur.i, "rollover", `counter rollover at ${R} m3: ${ref.v} → ${cur.v}`);
        acc.push(p++);
        continue;
      }
    }
    const disc = (x: Pt) => x.v < ref.v || implausibleJump(ref, x);
    if (!disc(cur)) {
      acc.push(p++);
      continue;
    }
    let run = 1;
    let monotonic = true;
    while (run < K && p + run < pts.length && disc(pts[p + run]!)) {
      if (pts[p + run]!.v < pts[p + run - 1]!.v) monotonic = false;
      run++;
    }
    if (cur.v < ref.v) {
      // Maybe the accepted tail was an upward excursion and cur continues the older chain: blame whichever side flags fewer samples.
      let j = acc.length - 1;
      while (j >= 0 && pts[acc[j]!]!.v > cur.v) j--;
      const tail = acc.length - 1 - j;
      if (j >= 0 && tail < run) {
        for (const a of acc.splice(j + 1)) flag(pts[a]!.i, "spike", "totalizer jump not sustained by later readings");
        continue;
      }
    }
    if (run >= K && monotonic) {
      flag(cur.i, "reset", `totalizer reset confirmed by ${K} readings: ${ref.v} → ${cur.v}`);
      acc.push(p++);
      continue;
    }
    if (cur.v < ref.v) flag(cur.i, "suspect", `totalizer drop ${ref.v} → ${cur.v} not confirmed (glitch)`);
    else flag(cur.i, "spike", `implausible totalizer jump ${ref.v} → ${cur.v}`);
    p++;
  }
  return acc;
}

export function flowLookup(flow: readonly SeriesRow[], tolMs: number): (ts: number) => number | null {
  const pts = flow
    .filter((r) => r.value !== null && isTrustedValue(r.quality))
    .map((r) => ({ ts: r.ts.getTime(), v: r.value! }))
    .sort((a, b) => a.ts - b.ts || a.v - b.v);
  return (ts) => {
    let lo = 0;
    let hi = pts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (pts[mid]!.ts < ts) lo = mid + 1;
      else hi = mid;
    }
    const [before, after] = [pts[lo - 1], pts[lo]];
    const [db, da] = [before ? ts - before.ts : Infinity, after ? after.ts - ts : Infinity];
    const best = db <= da ? before : after;
    return best && Math.min(da, db) <= tolMs ? best.v : null;
  };
}

export function flagFrozen(
  pts: readonly Pt[],
  acc: readonly number[],
  flowAt: (ts: number) => number | null,
  cfg: TotalizerConfig,
  flag: Flag,
): void {
  let streak: Pt[] = [];
  const close = () => {
    if (streak.length + 1 >= cfg.frozenSamples) {
      for (const s of streak)
        flag(s.i, "frozen", `totalizer unchanged for ${streak.length + 1} readings while flow > ${cfg.frozenFlow} L/s`);
    }
    streak = [];
  };
  for (let k = 1; k < acc.length; k++) {
    const prev = pts[acc[k - 1]!]!;
    const cur = pts[acc[k]!]!;
    const f = flowAt(cur.ts);
    if (cur.v === prev.v && f !== null && f > cfg.frozenFlow) streak.push(cur);
    else close();
  }
  close();
}
