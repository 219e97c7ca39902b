import { describe, expect, it } from "vitest";
import { dutyForHour, lastResetSec, sampleAt, volumeLitresAt, type WellConfig } from "./wells";
import { latestDelivered, wellSeries } from "./well-samples";

const well: WellConfig = {
  id: "w1",
  seed: 42,
  installedAt: new Date("2025-01-01T00:00:00Z"),
  stepSec: 300,
  flow: { nominalLps: 18, unit: "L/s" },
  duty: { base: 0.6 },
  totalizer: { unit: "pulses", litresPerPulse: 100, resetEveryDays: 20, resetProbability: 0.5 },
  level: { unit: "m", staticM: 35, drawdownM: 6 },
  quirks: { errorCodeRate: 0.01, missingRate: 0.01, lateRate: 0.02, duplicateRate: 0.02 },
};

describe("well generator", () => {
  it("keeps duty within [0, 1]", () => {
    for (let h = 480_000; h < 490_000; h++) {
      const d = dutyForHour(well, h);
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThanOrEqual(1);
    }
  });

  it("computes the closed-form volume equal to a brute-force integral of the duty cycle", () => {
    const t = Date.UTC(2025, 5, 17, 9, 23, 0) / 1000;
    let litres = 0;
    for (let h = Math.floor(well.installedAt.getTime() / 3_600_000); h < Math.floor(t / 3600); h++)
      litres += dutyForHour(well, h) * 3600 * 18;
    const h = Math.floor(t / 3600);
    litres += Math.min(t - h * 3600, dutyForHour(well, h) * 3600) * 18;
    expect(volumeLitresAt(well, t)).toBeCloseTo(litres, 3);
  });

  it("is a pure function of time: any window agrees with any other", () => {
    const a = wellSeries(well, new Date("2025-03-01T00:00:00Z"), new Date("2025-03-02T00:00:00Z"));
    const b = wellSeries(well, new Date("2025-03-01T12:00:00Z"), new Date("2025-03-03T00:00:00Z"));
    const overlap = a.filter((s) => s.t >= new Date("2025-03-01T12:00:00Z"));
    expect(b.slice(0, overlap.length)).toEqual(overlap);
    expect(a.length).toBeGreaterThan(280);
  });

  it("totalizer pulses follow the flow integral between resets", () => {
    const s = wellSeries(well, new Date("2025-02-01T00:00:00Z"), new Date("2025-02-08T00:00:00Z"));
    let resets = 0;
    for (let i = 1; i < s.length; i++) {
      const [p, c] = [s[i - 1]!, s[i]!];
      if (c.totalizer < p.totalizer) {
        resets++;
        continue;
      }
      expect(Math.abs((c.totalizer - p.totalizer) * 100 - (c.meterVolumeL - p.meterVolumeL))).toBeLessThanOrEqual(100);
    }
    expect(resets).toBeLessThanOrEqual(1);
    expect(lastResetSec(well, Date.UTC(2026, 0, 1) / 1000)).toBeGreaterThan(well.installedAt.getTime() / 1000);
  });

  it("draws the level down while pumping and recovers when off", () => {
    const s = wellSeries(well, new Date("2025-03-01T00:00:00Z"), new Date("2025-03-03T00:00:00Z")).filter(
      (x) => x.level > 0,
    );
    const on = s.filter((x) => x.pumpOn).map((x) => x.level);
    const off = s.filter((x) => !x.pumpOn).map((x) => x.level);
    const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
    expect(mean(on)).toBeGreaterThan(mean(off) + 1);
    expect(Math.min(...s.map((x) => x.level))).toBeGreaterThan(33);
  });

  it("emits error codes, gaps, late and duplicated deliveries at roughly the configured rates", () => {
    const s = wellSeries(well, new Date("2025-03-01T00:00:00Z"), new Date("2025-03-31T00:00:00Z"));
    const n = 30 * 288;
    expect(s.length).toBeLessThan(n);
    expect(s.filter((x) => x.level < 0 || x.flow < 0).length).toBeGreaterThan(n * 0.005);
    expect(s.filter((x) => x.deliveredAt.getTime() - x.t.getTime() > 3_600_000).length).toBeGreaterThan(n * 0.01);
    expect(s.filter((x) => x.duplicateAt).length).toBeGreaterThan(n * 0.01);
    expect(sampleAt(well, Date.UTC(2024, 0, 1) / 1000)).toBeNull();
  });

  it("latest only returns what was delivered by now", () => {
    const now = new Date("2025-03-10T14:00:00Z");
    const [latest] = latestDelivered(well, now);
    expect(latest!.deliveredAt.getTime()).toBeLessThanOrEqual(now.getTime());
    expect(now.getTime() - latest!.t.getTime()).toBeLessThan(3_600_000);
  });
});
