import { describe, expect, it } from "vitest";
import { buildProfile, evaluateBaseline, mad, santiagoSlot, baselineDedupeKey, type HourlySample } from "./baseline";
import { median } from "@/domain/stats";

const H = 3600_000;
/** Deterministic noise in [-1, 1). */
function noise(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  };
}

/** A pump that runs 20–26 L/s from 08:00 to 20:00 local and idles at ~2 L/s at night. */
function flowSeries(from: Date, hours: number, seed = 7): HourlySample[] {
  const r = noise(seed);
  return Array.from({ length: hours }, (_, i) => {
    const bucket = new Date(from.getTime() + i * H);
    const { hour } = santiagoSlot(bucket);
    const value = hour >= 8 && hour < 20 ? 23 + 2.5 * r() : 2 + 0.3 * r();
    return { bucket, value };
  });
}

const start = new Date("2026-01-26T00:00:00Z"); // six weeks of training before the recent day
const trainHours = 6 * 7 * 24;
const recentFrom = new Date(start.getTime() + trainHours * H);

describe("median / mad", () => {
  it("computes robust statistics by hand", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(mad([1, 2, 3, 4, 100])).toBe(1);
  });
});

describe("santiagoSlot", () => {
  it("maps UTC instants to Santiago weekday and hour (summer UTC-3, winter UTC-4)", () => {
    expect(santiagoSlot(new Date("2026-03-10T17:00:00Z"))).toEqual({ weekday: 2, hour: 14 });
    expect(santiagoSlot(new Date("2026-07-14T18:00:00Z"))).toEqual({ weekday: 2, hour: 14 });
  });
});

describe("evaluateBaseline", () => {
  const profile = buildProfile(flowSeries(start, trainHours));

  it("does not flag a normal day", () => {
    const recent = flowSeries(recentFrom, 24, 99);
    expect(evaluateBaseline(profile, recent, "flow")).toEqual([]);
  });

  it("flags a planted outlier with a Spanish explanation", () => {
    const recent = flowSeries(recentFrom, 7 * 24, 99);
    const i = recent.findIndex((s) => santiagoSlot(s.bucket).weekday === 2 && santiagoSlot(s.bucket).hour === 14);
    recent[i] = { bucket: recent[i]!.bucket, value: 45.2 };
    const flags = evaluateBaseline(profile, recent, "flow");
    expect(flags).toHaveLength(1);
    const f = flags[0]!;
    expect(f.bucket).toEqual(recent[i]!.bucket);
    expect(f.direction).toBe("high");
    expect(f.severity).toBe("critical");
    expect(f.reason).toMatch(/^Caudal 45,2 L\/s a las 14:00 del martes; lo habitual es \d+(,\d)?–\d+(,\d)? L\/s$/);
    expect(f.usualLow).toBeGreaterThanOrEqual(15);
    expect(f.usualHigh).toBeLessThanOrEqual(31);
  });

  it("flags a pump running at night (low-flow hour) and a level drop", () => {
    const recent = flowSeries(recentFrom, 24, 5);
    const night = recent.findIndex((s) => santiagoSlot(s.bucket).hour === 3);
    recent[night] = { bucket: recent[night]!.bucket, value: 22 };
    expect(evaluateBaseline(profile, recent, "flow").map((f) => f.bucket)).toEqual([recent[night]!.bucket]);

    const r = noise(3);
    const level = Array.from({ length: trainHours }, (_, i) => ({
      bucket: new Date(start.getTime() + i * H),
      value: 31 + 0.05 * r(),
    }));
    const recentLevel = [{ bucket: recentFrom, value: 36.4 }];
    const [flag] = evaluateBaseline(buildProfile(level), recentLevel, "level");
    expect(flag?.reason).toMatch(/^Nivel 36,4 m a las \d\d:00 del \S+; lo habitual es 30,\d+–31,\d+ m$/);
  });

  it("falls back to the hour-of-day pool when the weekday slot is thin", () => {
    const thin = buildProfile(flowSeries(start, 7 * 24)); // one sample per weekday slot, seven per hour
    const recent = flowSeries(recentFrom, 24, 11);
    recent[12] = { bucket: recent[12]!.bucket, value: 80 };
    const flags = evaluateBaseline(thin, recent, "flow");
    expect(flags.map((f) => f.basis)).toEqual(["hour"]);
  });

  it("gives no verdict without enough history", () => {
    expect(evaluateBaseline(buildProfile([]), flowSeries(recentFrom, 24), "flow")).toEqual([]);
  });

  it("builds one dedupe key per point, variable and day", () => {
    expect(baselineDedupeKey(7, "flow", "2026-03-10")).toBe("baseline_flow:7:2026-03-10");
  });
});
