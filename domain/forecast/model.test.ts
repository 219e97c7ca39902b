import { describe, expect, it } from "vitest";
import { dayNumber } from "./calendar";
import { fitModel, ownShape, projectDays, sigmaAt } from "./model";
import { MONTH, WEEK, synthetic, truthAt } from "./synthetic.test-helper";

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

describe("fitModel / projectDays", () => {
  it("projects a seasonal, weekly series within a few percent at 30 and 90 days", () => {
    const truth = { levelM3: 400, month: MONTH, weekday: WEEK, noise: 0.05 };
    const daily = synthetic(truth, "2023-01-01", "2026-05-01");
    const origin = dayNumber("2026-05-01");
    const m = fitModel({ daily, origin })!;
    expect(m.source).toEqual({ month: "own", weekday: "own", level: "own" });
    for (const H of [30, 90]) {
      const actual = sum(Array.from({ length: H }, (_, k) => truthAt(truth, origin + k, dayNumber("2023-01-01"))));
      const pred = sum(projectDays(m, origin, origin + H));
      expect(Math.abs(pred / actual - 1)).toBeLessThan(0.05);
    }
    expect(m.errorsMeasured).toBe(true);
    expect(m.errors.map((e) => e.horizonDays)).toEqual([7, 30, 90, 180]);
  });
  it("follows a trend (damped) instead of the stale mean", () => {
    const truth = { levelM3: 200, trendPerDay: 0.002 };
    const daily = synthetic(truth, "2025-06-01", "2026-06-01");
    const origin = dayNumber("2026-06-01");
    const m = fitModel({ daily, origin })!;
    expect(m.trendM3PerDayPerDay).toBeGreaterThan(0.3);
    const actual30 = sum(Array.from({ length: 30 }, (_, k) => truthAt(truth, origin + k, dayNumber("2025-06-01"))));
    expect(Math.abs(sum(projectDays(m, origin, origin + 30)) / actual30 - 1)).toBeLessThan(0.03);
  });
  it("borrows month factors from similar points when its history is short, and the level when it has none", () => {
    const longDaily = synthetic({ levelM3: 100, month: MONTH }, "2024-01-01", "2026-03-01");
    const origin = dayNumber("2026-03-01");
    const shape = ownShape(longDaily, origin)!;
    const short = synthetic({ levelM3: 50, month: MONTH }, "2026-01-15", "2026-03-01");
    const m = fitModel({ daily: short, origin, similar: [shape] })!;
    expect(m.source.month).toBe("similar");
    expect(m.shape.monthFactor![0]! / m.shape.monthFactor![6]!).toBeCloseTo(MONTH[0]! / MONTH[6]!, 1);
    const none = fitModel({ daily: [], origin, similar: [shape], similarLevelM3PerDay: 80 })!;
    expect(none.source.level).toBe("similar");
    expect(none.levelM3PerDay).toBe(80);
    expect(none.errorsMeasured).toBe(false);
    expect(fitModel({ daily: [], origin })).toBeNull();
  });
  it("sigmaAt interpolates between measured horizons and scales outside them", () => {
    const m = {
      errors: [
        { horizonDays: 7, sigma: 0.1, origins: 10 },
        { horizonDays: 30, sigma: 0.05, origins: 10 },
        { horizonDays: 90, sigma: 0.08, origins: 10 },
      ],
    };
    expect(sigmaAt(m, 7)).toBeCloseTo(0.1, 10);
    expect(sigmaAt(m, 60)).toBeCloseTo(0.065, 10);
    expect(sigmaAt(m, 1)).toBeCloseTo(0.1 * Math.sqrt(7), 10);
    expect(sigmaAt(m, 360)).toBeCloseTo(0.16, 10);
    expect(sigmaAt({ errors: [] }, 30)).toBe(0.25);
  });
});
