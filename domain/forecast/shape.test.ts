import { describe, expect, it } from "vitest";
import { dayNumber } from "./calendar";
import { densify } from "./model";
import { elapsedShare, hourShares, monthFactors, poolShapes, weekdayFactors } from "./shape";
import { MONTH, WEEK, synthetic } from "./synthetic.test-helper";

const norm = (xs: number[]) => xs.map((x) => x / (xs.reduce((a, b) => a + b, 0) / xs.length));

describe("seasonal shape", () => {
  it("recovers month factors from two years even with a strong trend", () => {
    const daily = synthetic({ levelM3: 500, trendPerDay: 0.3 / 365, month: MONTH }, "2024-01-01", "2026-01-01");
    const f = monthFactors(densify(daily, dayNumber("2026-01-01")))!;
    const truth = norm(MONTH);
    expect(f).toHaveLength(12);
    f.forEach((v, k) => expect(Math.abs(v - truth[k]!)).toBeLessThan(0.04));
    expect(f.reduce((a, b) => a + b, 0) / 12).toBeCloseTo(1, 10);
  });
  it("has no month factors with less than a year of months", () => {
    const daily = synthetic({ levelM3: 500, month: MONTH }, "2025-06-01", "2026-01-01");
    expect(monthFactors(densify(daily, dayNumber("2026-01-01")))).toBeNull();
  });
  it("recovers weekday factors over the last 8 weeks", () => {
    const daily = synthetic({ levelM3: 300, weekday: WEEK, month: MONTH }, "2024-01-01", "2026-03-01");
    const series = densify(daily, dayNumber("2026-03-01"));
    const f = weekdayFactors(series, monthFactors(series));
    norm(WEEK).forEach((v, k) => expect(Math.abs(f[k]! - v)).toBeLessThan(0.05));
  });
  it("spreads a day over its local hours and measures the elapsed share", () => {
    const hourly = Array.from({ length: 24 * 14 }, (_, i) => {
      const bucket = new Date(Date.UTC(2026, 6, 1, 4) + i * 3_600_000); // 00:00 Santiago in winter (UTC-4)
      const localHour = i % 24;
      return { bucket, volumeM3: localHour >= 8 && localHour < 20 ? 10 : 0 };
    });
    const share = hourShares(hourly)!;
    for (let w = 0; w < 7; w++) expect(share.slice(w * 24, w * 24 + 24).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
    expect(share[3 * 24 + 12]).toBeCloseTo(1 / 12, 10);
    expect(share[3 * 24 + 2]).toBe(0);
    const shape = { monthFactor: null, weekdayFactor: Array(7).fill(1), hourShare: share };
    expect(elapsedShare(shape, 3, 8)).toBe(0);
    expect(elapsedShare(shape, 3, 14)).toBeCloseTo(0.5, 10);
    expect(elapsedShare(shape, 3, 24)).toBeCloseTo(1, 10);
    expect(elapsedShare({ ...shape, hourShare: null }, 3, 6)).toBe(0.25);
    expect(hourShares(hourly.slice(0, 100))).toBeNull();
  });
  it("pools similar points by the median factor", () => {
    const a = { monthFactor: null, weekdayFactor: [1, 1, 1, 1, 1, 1, 1], hourShare: null };
    const b = { monthFactor: norm(MONTH), weekdayFactor: norm(WEEK), hourShare: null };
    const c = { monthFactor: norm(MONTH), weekdayFactor: norm(WEEK), hourShare: null };
    const p = poolShapes([a, b, c])!;
    norm(WEEK).forEach((v, k) => expect(p.weekdayFactor[k]).toBeCloseTo(v, 6));
    norm(MONTH).forEach((v, k) => expect(p.monthFactor![k]).toBeCloseTo(v, 6));
    expect(poolShapes([])).toBeNull();
  });
});
