import { describe, expect, it } from "vitest";
import { assessSeries, type SeriesRow } from "@/domain/measurements/assess";
import { consumptionDeltas, totalConsumptionM3 } from "@/domain/measurements/consumption";
import { defaultResetConfirmSamples, type MeterChange } from "@/domain/measurements/meter-change";

const T0 = Date.parse("2026-11-01T00:00:00Z");
const MIN = 60_000;
const at =
  (stepMin: number) =>
  (k: number, value: number): SeriesRow => ({
    ts: new Date(T0 + k * stepMin * MIN),
    value,
    rawValue: String(value),
    quality: "ok",
    reason: null,
  });
const q = (rows: readonly { quality: string }[]) => rows.map((r) => r.quality);

describe("pump cycles are states, not spikes", () => {
  const r5 = at(5);
  it("a pump stop (12.6 → 12.0 → 0) and a restart are not spikes", () => {
    const flow = [12.4, 12.6, 12.0, 0, 0, 0, 0, 12.3, 12.5, 12.4].map((v, k) => r5(k, v));
    expect(q(assessSeries(flow, "flow").rows).every((x) => x === "ok")).toBe(true);
  });

  it("a run shorter than two samples between stops is quiet", () => {
    const flow = [0, 0, 0, 18.2, 0, 0, 0, 18.4, 18.1, 0, 0, 0].map((v, k) => r5(k, v));
    expect(q(assessSeries(flow, "flow").rows).every((x) => x === "ok")).toBe(true);
  });

  it("a running glitch is still a spike", () => {
    const flow = [12.4, 12.6, 12.5, 61.0, 12.4, 12.5, 0, 0].map((v, k) => r5(k, v));
    expect(q(assessSeries(flow, "flow").rows)).toEqual(["ok", "ok", "ok", "spike", "ok", "ok", "ok", "ok"]);
  });

  it("a 14 m drawdown at pump start and its recovery at stop are normal", () => {
    const depth = (k: number) => {
      const on = k % 12 < 7;
      const tOn = (k % 12) * 5;
      return on ? 40 + 14 * (1 - Math.exp(-tOn / 8)) : 40 + 14 * (1 - Math.exp(-35 / 8)) * Math.exp(-(tOn - 35) / 12);
    };
    const rows = Array.from({ length: 36 }, (_, k) => r5(k, Math.round(depth(k) * 100) / 100));
    expect(q(assessSeries(rows, "water_table").rows).every((x) => x === "ok")).toBe(true);
    expect(q(assessSeries(rows, "level").rows).every((x) => x === "ok")).toBe(true);
  });

  it("a level sensor glitch inside a steady stretch is still a spike", () => {
    const rows = [40.1, 40.1, 40.2, 95.0, 40.1, 40.2, 40.1].map((v, k) => r5(k, v));
    expect(q(assessSeries(rows, "level").rows)[3]).toBe("spike");
  });
});

describe("meter changes", () => {
  it("the confirmation window follows the reporting interval", () => {
    expect(defaultResetConfirmSamples(10 * MIN)).toBe(3);
    expect(defaultResetConfirmSamples(5 * MIN)).toBe(6);
    expect(defaultResetConfirmSamples(MIN)).toBe(10);
    expect(defaultResetConfirmSamples(60 * MIN)).toBe(3);
    expect(defaultResetConfirmSamples(null)).toBe(10);
  });

  // 10-minute logger pumping 13.9 L/s (≈ 8.33 m3 per reading); the meter is swapped after reading 5.
  const r10 = at(10);
  const old = Array.from({ length: 6 }, (_, k) => r10(k, 48_210 + k * 8.33));
  const fresh = Array.from({ length: 9 }, (_, k) => r10(6 + k, Math.round((2.1 + (k + 1) * 8.33) * 100) / 100));
  const rows = [...old, ...fresh];
  const pumpedM3 = 14 * 8.33;

  it("an undeclared replacement is confirmed after the binding's window, not after 10 readings", () => {
    const cfg = { resetConfirmSamples: defaultResetConfirmSamples(10 * MIN) };
    const a = assessSeries(rows, "totalizer", cfg);
    expect(q(a.rows).slice(6)).toEqual(["reset", "ok", "ok", "ok", "ok", "ok", "ok", "ok", "ok"]);
    const fixedTen = assessSeries(rows, "totalizer");
    expect(q(fixedTen.rows).slice(6, 9)).toEqual(["suspect", "suspect", "suspect"]);
    // Undeclared: the new meter's start reading is unknown, so the interval of the swap counts what the new meter shows.
    expect(totalConsumptionM3(consumptionDeltas(a))).toBeGreaterThan(pumpedM3 - 8.4);
  });

  it("a declared replacement is right immediately: no suspect reading and the exact volume", () => {
    const change: MeterChange = { at: new Date(T0 + 55 * MIN), oldFinalM3: 48_210 + 5 * 8.33 + 4.2, newInitialM3: 2.1 };
    const cfg = { meterChanges: [change] };
    // Only the first new reading has arrived: no confirmation is needed.
    const a = assessSeries(rows.slice(0, 7), "totalizer", cfg);
    expect(q(a.rows)).toEqual(["ok", "ok", "ok", "ok", "ok", "ok", "reset"]);
    expect(a.rows[6]!.reason).toMatch(/meter replaced/);
    const all = assessSeries(rows, "totalizer", cfg);
    const total = totalConsumptionM3(consumptionDeltas(all, cfg));
    expect(total).toBeCloseTo(pumpedM3 - 8.33 + 4.2 + 8.33, 1);
  });
});
