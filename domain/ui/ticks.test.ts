import { describe, expect, it } from "vitest";
import { timeTicks, yTickDecimals } from "./ticks";

const labels = (from: string, to: string, max?: number) => {
  const t = timeTicks(Date.parse(from), Date.parse(to), max);
  return t.ticks.map(t.format);
};

describe("timeTicks", () => {
  it("7 d: one tick per Santiago midnight, never repeated", () => {
    const l = labels("2026-11-26T14:05:00Z", "2026-12-03T14:05:00Z");
    expect(l).toEqual(["27-11", "28-11", "29-11", "30-11", "01-12", "02-12", "03-12"]);
  });
  it("30 d: every few days, distinct", () => {
    const l = labels("2026-11-03T14:05:00Z", "2026-12-03T14:05:00Z");
    expect(new Set(l).size).toBe(l.length);
    expect(l.length).toBeGreaterThanOrEqual(4);
    expect(l.length).toBeLessThanOrEqual(8);
  });
  it("1 year: month with full year", () => {
    const l = labels("2025-12-03T14:05:00Z", "2026-12-03T14:05:00Z", 12);
    expect(l.at(-1)).toBe("dic 2026");
    expect(l[0]).toBe("ene 2026");
    expect(labels("2025-12-03T14:05:00Z", "2026-12-03T14:05:00Z").every((x) => /^[a-z]+ \d{4}$/.test(x))).toBe(true);
    expect(new Set(l).size).toBe(l.length);
  });
  it("48 h: hours, with the date at midnight; summer time (UTC-3) respected", () => {
    const l = labels("2026-12-01T03:00:00Z", "2026-12-03T03:00:00Z");
    expect(l).toEqual(["01-12", "06:00", "12:00", "18:00", "02-12", "06:00", "12:00", "18:00", "03-12"]);
  });
});

describe("yTickDecimals", () => {
  it("gives small ranges enough decimals", () => {
    expect(yTickDecimals(0, 0.5)).toBe(1);
    expect(yTickDecimals(0, 0.05)).toBe(2);
    expect(yTickDecimals(10, 200)).toBe(0);
    expect(yTickDecimals(12, 25)).toBe(0);
    expect(yTickDecimals(30, 33)).toBe(1);
  });
});
