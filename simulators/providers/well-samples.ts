import { sampleAt, type WellConfig, type WellSample } from "./wells";

const HOUR = 3600;

/** Longest gap between measurement and (any) delivery, for windows filtered on delivery time. */
export function maxDeliveryLagSec(cfg: WellConfig): number {
  const q = cfg.quirks ?? {};
  return Math.max(q.deliveryDelaySec?.[1] ?? 90, q.lateRate ? (q.lateMaxSec ?? 6 * HOUR) : 0) + 660;
}

/** Samples on the step grid with t in [from, to] (inclusive), oldest first. */
export function* samplesForward(cfg: WellConfig, from: Date, to: Date, stepSec = cfg.stepSec): Generator<WellSample> {
  const first = Math.ceil(Math.max(from.getTime(), cfg.installedAt.getTime()) / 1000 / stepSec) * stepSec;
  const last = Math.floor(to.getTime() / 1000 / stepSec) * stepSec;
  for (let t = first; t <= last; t += stepSec) {
    const s = sampleAt(cfg, t);
    if (s) yield s;
  }
}

/** Samples with t in [from ?? installedAt, to], newest first. */
export function* samplesBackward(cfg: WellConfig, to: Date, from?: Date, stepSec = cfg.stepSec): Generator<WellSample> {
  const floor = Math.max(from?.getTime() ?? 0, cfg.installedAt.getTime()) / 1000;
  for (let t = Math.floor(to.getTime() / 1000 / stepSec) * stepSec; t >= floor; t -= stepSec) {
    const s = sampleAt(cfg, t);
    if (s) yield s;
  }
}

export function wellSeries(cfg: WellConfig, from: Date, to: Date, stepSec = cfg.stepSec): WellSample[] {
  return [...samplesForward(cfg, from, to, stepSec)];
}

/** Each delivery of a sample: the original and, sometimes, a duplicate copy. */
export function deliveries(s: WellSample): { sample: WellSample; copy: 0 | 1; at: Date }[] {
  const out: { sample: WellSample; copy: 0 | 1; at: Date }[] = [{ sample: s, copy: 0, at: s.deliveredAt }];
  if (s.duplicateAt) out.push({ sample: s, copy: 1, at: s.duplicateAt });
  return out;
}

/** The value a logger sends for a variable: a number, or a status text such as "ERR". */
export function sampleValue(s: WellSample, variable: "flow" | "totalizer" | "level" | "water_table"): number | string {
  return variable === "flow" ? (s.flowText ?? s.flow) : variable === "totalizer" ? s.totalizer : s.level;
}

/** Latest samples already delivered at `now`, newest first (late ones may be missing). */
export function latestDelivered(cfg: WellConfig, now: Date, count = 1, maxSteps = 20_000): WellSample[] {
  const out: WellSample[] = [];
  let steps = 0;
  for (const s of samplesBackward(cfg, now)) {
    if (s.deliveredAt <= now) out.push(s);
    if (out.length >= count || ++steps >= maxSteps) break;
  }
  return out;
}
