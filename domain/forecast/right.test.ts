import { describe, expect, it } from "vitest";
import { dayNumber } from "./calendar";
import { forecastRight } from "./right";
import { MONTH, WEEK, synthetic } from "./synthetic.test-helper";

// 00:00 of 2026-07-01 in Santiago (UTC-4 in winter): today has no volume yet.
const now = new Date("2026-07-01T04:00:00Z");
const truth = { levelM3: 400, month: MONTH, weekday: WEEK, noise: 0.04 };
const history = synthetic(truth, "2023-07-01", "2026-07-01");
const sumIn = (from: string, to: string) =>
  history.filter((d) => d.day >= from && d.day < to).reduce((s, d) => s + d.volumeM3, 0);

describe("forecastRight", () => {
  it("adds the actual water-year volume to the projection and brackets it with the interval", () => {
    const f = forecastRight({ now, waterYearStartMonth: 1, annualVolumeM3: null, grantedFlowLps: 10, daily: history });
    expect(f.status).toBe("ok");
    const wy = f.waterYear!;
    expect(wy.from).toBe("2026-01-01");
    expect(wy.to).toBe("2026-12-31");
    expect(wy.actualM3).toBeCloseTo(sumIn("2026-01-01", "2026-07-01"), 6);
    expect(wy.lowM3).toBeLessThan(wy.projectedM3);
    expect(wy.highM3).toBeGreaterThan(wy.projectedM3);
    // Same shape every year: the second half of 2026 should look like the second half of 2025.
    const lastYearRest = sumIn("2025-07-01", "2026-01-01");
    expect(Math.abs((wy.projectedM3 - wy.actualM3) / lastYearRest - 1)).toBeLessThan(0.05);
    expect(f.month!.rightM3).toBeCloseTo(10 * 86.4 * 31, 6);
    expect(f.series.at(-1)!.projectedCumM3).toBeCloseTo(wy.projectedM3, 6);
    expect(f.explanation).toMatch(/perfil estacional mes × día × hora/);
  });

  it("finds the exceedance date where the cumulative projection crosses the right, and the earliest from the band", () => {
    const right = sumIn("2025-01-01", "2026-01-01") * 0.8;
    const f = forecastRight({
      now,
      waterYearStartMonth: 1,
      annualVolumeM3: right,
      grantedFlowLps: null,
      daily: history,
    });
    const date = f.exceedance.date!;
    const i = f.series.findIndex((p) => p.day === date);
    expect(f.series[i]!.projectedCumM3!).toBeGreaterThan(right);
    expect(f.series[i - 1]!.projectedCumM3 ?? f.series[i - 1]!.actualCumM3!).toBeLessThanOrEqual(right);
    expect(f.exceedance.earliest! <= date).toBe(true);
    expect(f.exceedance.alreadyExceeded).toBe(false);
    expect(f.explanation).toMatch(/^Superaría el derecho anual el \d\d-\d\d-2026/);
  });

  it("counts the water year from the point's start month and flags a right already exceeded", () => {
    const f = forecastRight({
      now,
      waterYearStartMonth: 4,
      annualVolumeM3: 1000,
      grantedFlowLps: null,
      daily: history,
    });
    expect(f.waterYear!.from).toBe("2026-04-01");
    expect(f.waterYear!.to).toBe("2027-03-31");
    expect(f.waterYear!.actualM3).toBeCloseTo(sumIn("2026-04-01", "2026-07-01"), 6);
    expect(f.exceedance).toEqual({ date: null, earliest: null, alreadyExceeded: true });
  });

  it("projects only the rest of today from the hour shares", () => {
    const noon = new Date("2026-07-01T16:00:00Z");
    const today = { day: "2026-07-01", volumeM3: 123 };
    const a = forecastRight({
      now: noon,
      waterYearStartMonth: 1,
      annualVolumeM3: null,
      grantedFlowLps: null,
      daily: [...history, today],
    });
    const b = forecastRight({
      now,
      waterYearStartMonth: 1,
      annualVolumeM3: null,
      grantedFlowLps: null,
      daily: history,
    });
    expect(a.waterYear!.actualM3 - b.waterYear!.actualM3).toBeCloseTo(123, 6);
    // Half the day is gone (flat hours without hourly data): today's projection is halved.
    const restA = a.series.find((p) => p.day === "2026-07-01")!.projectedCumM3! - a.waterYear!.actualM3;
    const restB = b.series.find((p) => p.day === "2026-07-01")!.projectedCumM3! - b.waterYear!.actualM3;
    expect(restA / restB).toBeCloseTo(0.5, 2);
  });

  it("says when there is not enough history", () => {
    const f = forecastRight({
      now,
      waterYearStartMonth: 1,
      annualVolumeM3: 1000,
      grantedFlowLps: null,
      daily: [{ day: "2026-06-30", volumeM3: 5 }],
    });
    expect(f.status).toBe("insufficient");
    expect(f.waterYear).toBeNull();
    expect(f.explanation).toMatch(/Sin historia suficiente/);
    expect(dayNumber(f.asOfDay)).toBe(dayNumber("2026-07-01"));
  });
});
