import { describe, expect, it } from "vitest";
import { combineRightForecasts } from "./client";
import { forecastRight } from "./right";
import { MONTH, synthetic } from "./synthetic.test-helper";

const now = new Date("2026-07-01T04:00:00Z");
const a = forecastRight({
  now,
  waterYearStartMonth: 1,
  annualVolumeM3: 150_000,
  grantedFlowLps: 10,
  daily: synthetic({ levelM3: 400, month: MONTH }, "2024-01-01", "2026-07-01"),
});
const b = forecastRight({
  now,
  waterYearStartMonth: 1,
  annualVolumeM3: 30_000,
  grantedFlowLps: 5,
  daily: synthetic({ levelM3: 100, noise: 0.05 }, "2024-01-01", "2026-07-01"),
});
const none = forecastRight({ now, waterYearStartMonth: 1, annualVolumeM3: 1, grantedFlowLps: null, daily: [] });

describe("combineRightForecasts", () => {
  it("sums periods, rights and the cumulative series of points sharing a water year", () => {
    const c = combineRightForecasts([a, b, none]);
    expect(c.points).toBe(3);
    expect(c.forecastPoints).toBe(2);
    expect(c.waterYear!.projectedM3).toBeCloseTo(a.waterYear!.projectedM3 + b.waterYear!.projectedM3, 6);
    expect(c.waterYear!.highM3).toBeCloseTo(a.waterYear!.highM3 + b.waterYear!.highM3, 6);
    expect(c.waterYear!.rightM3).toBe(180_000);
    expect(c.month!.rightM3).toBeCloseTo(15 * 86.4 * 31, 6);
    expect(c.series!.at(-1)!.projectedCumM3).toBeCloseTo(c.waterYear!.projectedM3, 6);
    expect(c.pointsProjectedToExceed).toBe(
      [a, b].filter((f) => f.exceedance.date || f.exceedance.alreadyExceeded).length,
    );
    expect(c.explanation).toContain("suma de 2 de 3 puntos");
  });
  it("drops the summed series when water years differ, and handles a client without forecasts", () => {
    const april = forecastRight({
      now,
      waterYearStartMonth: 4,
      annualVolumeM3: null,
      grantedFlowLps: null,
      daily: synthetic({ levelM3: 50 }, "2025-01-01", "2026-07-01"),
    });
    expect(combineRightForecasts([a, april]).series).toBeNull();
    const empty = combineRightForecasts([none]);
    expect(empty.waterYear).toBeNull();
    expect(empty.explanation).toMatch(/^Sin puntos con historia suficiente/);
  });
});
