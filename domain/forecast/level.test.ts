import { describe, expect, it } from "vitest";
import { dayNumber, isoDay } from "./calendar";
import { levelTrend, type DailyDepth } from "./level";

function depths(from: string, to: string, f: (t: number) => number, drawdownM = 5): DailyDepth[] {
  const out: DailyDepth[] = [];
  for (let d = dayNumber(from); d < dayNumber(to); d++) {
    const s = f(d - dayNumber(from)) + 0.03 * Math.sin(d * 7.1);
    out.push({ day: isoDay(d), minM: s, maxM: s + drawdownM, meanM: s + drawdownM / 2 });
  }
  return out;
}

describe("levelTrend", () => {
  it("measures the static-level trend in m/month per window with an uncertainty", () => {
    const daily = depths("2025-01-01", "2026-01-01", (t) => 20 + (0.3 / 30.44) * t);
    const r = levelTrend({ daily, asOfDay: "2026-01-01", pumpIntakeDepthM: null });
    expect(r.status).toBe("ok");
    for (const w of r.windows) {
      expect(Math.abs(w.slopeMPerMonth! - 0.3)).toBeLessThan(Math.max(0.02, 4 * w.seMPerMonth!));
      expect(w.seMPerMonth).toBeGreaterThan(0);
    }
    expect(r.windows.map((w) => w.days)).toEqual([30, 90, 365]);
    expect(r.explanation).toMatch(/Configure la profundidad de la bomba/);
  });

  it("projects the date the dynamic level reaches the pump intake from the 90-day rate", () => {
    const daily = depths("2025-06-01", "2026-01-01", (t) => 20 + 0.01 * t, 5);
    const r = levelTrend({ daily, asOfDay: "2026-01-01", pumpIntakeDepthM: 30 });
    const dyn = r.dynamicDepthM!;
    const expectedDays = (30 - dyn) / 0.01;
    const got = dayNumber(r.intake.date!) - dayNumber("2026-01-01");
    expect(Math.abs(got - expectedDays)).toBeLessThan(0.05 * expectedDays + 2);
    expect(r.intake.earliest! <= r.intake.date!).toBe(true);
    expect(r.intake.latest === null || r.intake.latest >= r.intake.date!).toBe(true);
    expect(r.intake.marginM).toBeCloseTo(30 - dyn, 10);
    expect(r.series.some((p) => p.projectedDynamicM !== null)).toBe(true);
  });

  it("reports an intake already reached, a rising table that never reaches it, and too little data", () => {
    const deep = levelTrend({
      daily: depths("2025-10-01", "2026-01-01", () => 28, 5),
      asOfDay: "2026-01-01",
      pumpIntakeDepthM: 30,
    });
    expect(deep.intake.alreadyReached).toBe(true);
    const rising = levelTrend({
      daily: depths("2025-10-01", "2026-01-01", (t) => 20 - 0.01 * t),
      asOfDay: "2026-01-01",
      pumpIntakeDepthM: 30,
    });
    expect(rising.intake.date).toBeNull();
    expect(rising.explanation).toMatch(/no alcanza la bomba/);
    const few = levelTrend({
      daily: depths("2025-12-25", "2026-01-01", () => 20),
      asOfDay: "2026-01-01",
      pumpIntakeDepthM: 30,
    });
    expect(few.status).toBe("insufficient");
  });
});
