/** Small statistics helpers shared by the forecast models (pure, no allocation-heavy tricks). */

export function mean(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  let s = 0;
  for (const v of values) s += v;
  return s / values.length;
}

export interface LinearFit {
  /** Value at t = 0. */
  intercept: number;
  /** Change per unit of t. */
  slope: number;
  /** Standard error of the slope, inflated for lag-1 autocorrelation of the residuals. */
  slopeSe: number;
  n: number;
  /** Residual standard deviation. */
  residualSd: number;
}

/**
 * Ordinary least squares of y on t. Daily hydrological series are autocorrelated, so the slope's
 * standard error uses the effective sample size n·(1−ρ)/(1+ρ) (ρ = lag-1 residual autocorrelation)
 * instead of pretending every day is independent.
 */
export function linearFit(t: readonly number[], y: readonly number[]): LinearFit | null {
  const n = Math.min(t.length, y.length);
  if (n < 3) return null;
  const tm = mean(t.slice(0, n));
  const ym = mean(y.slice(0, n));
  let stt = 0;
  let sty = 0;
  for (let i = 0; i < n; i++) {
    stt += (t[i]! - tm) ** 2;
    sty += (t[i]! - tm) * (y[i]! - ym);
  }
  if (stt === 0) return null;
  const slope = sty / stt;
  const intercept = ym - slope * tm;
  const res: number[] = [];
  for (let i = 0; i < n; i++) res.push(y[i]! - (intercept + slope * t[i]!));
  const sse = res.reduce((s, r) => s + r * r, 0);
  const residualSd = Math.sqrt(sse / Math.max(1, n - 2));
  let num = 0;
  for (let i = 1; i < n; i++) num += res[i]! * res[i - 1]!;
  const rho = sse > 0 ? Math.max(0, Math.min(0.95, num / sse)) : 0;
  const inflate = Math.sqrt((1 + rho) / (1 - rho));
  return { intercept, slope, slopeSe: (residualSd / Math.sqrt(stt)) * inflate, n, residualSd };
}

/** Two-sided standard-normal quantile for the common interval levels used here. */
export function zFor(level: 0.8 | 0.9 | 0.95): number {
  return level === 0.8 ? 1.2816 : level === 0.9 ? 1.6449 : 1.96;
}
