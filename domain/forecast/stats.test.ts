import { describe, expect, it } from "vitest";
import { linearFit, mean, seasonalLinearFit } from "./stats";

const noise = (i: number) => Math.sin(i * 12.9898) * 0.3;

describe("linearFit", () => {
  it("recovers an exact line with zero error", () => {
    const t = Array.from({ length: 50 }, (_, i) => i);
    const f = linearFit(
      t,
      t.map((x) => 3 + 0.5 * x),
    )!;
    expect(f.slope).toBeCloseTo(0.5, 10);
    expect(f.intercept).toBeCloseTo(3, 10);
    expect(f.slopeSe).toBeCloseTo(0, 10);
  });
  it("puts the true slope within a few standard errors under noise, and the SE grows with autocorrelation", () => {
    const t = Array.from({ length: 200 }, (_, i) => i);
    const white = linearFit(
      t,
      t.map((x, i) => 0.02 * x + noise(i)),
    )!;
    expect(Math.abs(white.slope - 0.02)).toBeLessThan(4 * white.slopeSe);
    let ar = 0;
    const walk = t.map((x, i) => 0.02 * x + (ar = 0.9 * ar + noise(i)));
    const red = linearFit(t, walk)!;
    expect(red.slopeSe).toBeGreaterThan(white.slopeSe);
  });
  it("returns null when t does not vary or there are too few points", () => {
    expect(linearFit([1, 1, 1], [1, 2, 3])).toBeNull();
    expect(linearFit([1, 2], [1, 2])).toBeNull();
  });
});

describe("seasonalLinearFit", () => {
  it("separates a trend from an annual cycle that biases a plain fit", () => {
    const t = Array.from({ length: 365 }, (_, i) => i - 365);
    const y = t.map((x) => 10 + 0.002 * x + 1.5 * Math.cos((2 * Math.PI * (x + 40)) / 365.25));
    const plain = linearFit(t, y)!;
    const seasonal = seasonalLinearFit(t, y, 365.25)!;
    expect(Math.abs(seasonal.slope - 0.002)).toBeLessThan(1e-6);
    expect(Math.abs(plain.slope - 0.002)).toBeGreaterThan(100 * Math.abs(seasonal.slope - 0.002));
  });
  it("mean of an empty list is NaN", () => {
    expect(mean([])).toBeNaN();
    expect(mean([1, 2, 6])).toBe(3);
  });
});
