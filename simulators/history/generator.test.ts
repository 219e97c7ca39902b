import { describe, expect, it } from "vitest";
import { dayNumber } from "@/domain/forecast/calendar";
import { historyDay, historyRange, localHourBuckets, simulatedFleet, type HistoryWellConfig } from "./generator";

const base: HistoryWellConfig = {
  code: "T",
  seed: 7,
  pumpLps: 20,
  scheduleHours: [0, 10, 10, 10, 10, 10, 5],
  startHour: 8,
  utilisation: 0.6,
  seasonAmplitude: 0.3,
  peakMonth: 0,
  trendPerYear: 0.1,
  dailyNoise: 0,
  regimeNoise: 0,
  outageRate: 0,
  staticDepthM: 20,
  depthTrendMPerYear: 1.2,
  depthSeasonM: 0,
  drawdownM: 6,
  referenceDay: "2025-01-01",
};
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

describe("history generator", () => {
  it("is deterministic and its daily volume is the sum of its hours within the pump schedule", () => {
    const a = historyRange(base, "2025-03-01", "2025-03-15");
    expect(historyRange(base, "2025-03-01", "2025-03-15")).toEqual(a);
    for (const d of a) {
      expect(d.volumeM3).toBeCloseTo(sum(d.hourlyM3), 9);
      expect(d.hourlyM3.filter((v) => v > 0).length).toBeLessThanOrEqual(10);
      expect(Math.max(...d.hourlyM3)).toBeLessThanOrEqual(20 * 3.6 + 1e-9);
    }
    expect(a.find((d) => new Date(`${d.day}T12:00:00Z`).getUTCDay() === 0)!.volumeM3).toBe(0);
  });
  it("has an irrigation season, a yearly trend and a deepening water table", () => {
    const jan = historyDay(base, dayNumber("2025-01-15")).volumeM3;
    const jul = historyDay(base, dayNumber("2025-07-16")).volumeM3;
    expect(jan).toBeGreaterThan(jul * 1.5);
    const jan26 = historyDay(base, dayNumber("2026-01-14")).volumeM3;
    expect(jan26 / jan).toBeGreaterThan(1.05);
    const sunday = historyDay(base, dayNumber("2025-01-05"));
    const meanMin = (from: string, to: string) => {
      const r = historyRange(base, from, to);
      return sum(r.map((d) => d.depthMinM)) / r.length;
    };
    expect(meanMin("2026-01-01", "2026-02-01") - meanMin("2025-01-01", "2025-02-01")).toBeCloseTo(1.2, 1);
    expect(sunday.depthMaxM - sunday.depthMinM).toBeCloseTo(0, 9);
    expect(
      historyDay(base, dayNumber("2025-01-02")).depthMaxM - historyDay(base, dayNumber("2025-01-02")).depthMinM,
    ).toBeGreaterThan(3);
  });
  it("maps a Santiago day to its 24 local hours, across DST", () => {
    const winter = localHourBuckets(dayNumber("2026-07-01"));
    expect(winter[0]!.toISOString()).toBe("2026-07-01T04:00:00.000Z");
    const summer = localHourBuckets(dayNumber("2026-01-15"));
    expect(summer[0]!.toISOString()).toBe("2026-01-15T03:00:00.000Z");
    expect(summer[23]!.getTime() - summer[0]!.getTime()).toBe(23 * 3_600_000);
  });
  it("builds a varied, deterministic fleet", () => {
    const f = simulatedFleet(20);
    expect(simulatedFleet(20)).toEqual(f);
    expect(new Set(f.map((w) => w.code)).size).toBe(20);
    expect(Math.min(...f.map((w) => w.trendPerYear))).toBeLessThan(0);
    expect(Math.max(...f.map((w) => w.trendPerYear))).toBeGreaterThan(0);
  });
});
