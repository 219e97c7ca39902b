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

/**
 * Least squares of y on [1, t, cos(2πt/P), sin(2πt/P)]: a linear trend with an annual cycle removed, so a
 * year-long window that starts in a wet season does not read the seasonal fall as a trend. Same SE rules.
 */
export function seasonalLinearFit(t: readonly number[], y: readonly number[], periodDays: number): LinearFit | null {
  const n = Math.min(t.length, y.length);
  if (n < 8) return null;
  const w = (2 * Math.PI) / periodDays;
  const rows = Array.from({ length: n }, (_, i) => [1, t[i]!, Math.cos(w * t[i]!), Math.sin(w * t[i]!)]);
  const xtx = Array.from({ length: 4 }, (_, a) =>
    Array.from({ length: 4 }, (_, b) => rows.reduce((s, r) => s + r[a]! * r[b]!, 0)),
  );
  const xty = Array.from({ length: 4 }, (_, a) => rows.reduce((s, r, i) => s + r[a]! * y[i]!, 0));
  const inv = invert4(xtx);
  if (!inv) return null;
  const beta = inv.map((row) => row.reduce((s, v, k) => s + v * xty[k]!, 0));
  const res = rows.map((r, i) => y[i]! - r.reduce((s, v, k) => s + v * beta[k]!, 0));
  const sse = res.reduce((s, r) => s + r * r, 0);
  const residualSd = Math.sqrt(sse / Math.max(1, n - 4));
  let num = 0;
  for (let i = 1; i < n; i++) num += res[i]! * res[i - 1]!;
  const rho = sse > 0 ? Math.max(0, Math.min(0.95, num / sse)) : 0;
  const inflate = Math.sqrt((1 + rho) / (1 - rho));
  return {
    intercept: beta[0]!,
    slope: beta[1]!,
    slopeSe: residualSd * Math.sqrt(Math.max(0, inv[1]![1]!)) * inflate,
    n,
    residualSd,
  };
}

/** Gauss–Jordan inverse of a small matrix; null when singular. */
function invert4(m: number[][]): number[][] | null {
  const k = m.length;
  const a = m.map((row, i) => [...row, ...Array.from({ length: k }, (_, j) => (i === j ? 1 : 0))]);
  for (let c = 0; c < k; c++) {
    let p = c;
    for (let r = c + 1; r < k; r++) if (Math.abs(a[r]![c]!) > Math.abs(a[p]![c]!)) p = r;
    if (Math.abs(a[p]![c]!) < 1e-12) return null;
    [a[c], a[p]] = [a[p]!, a[c]!];
    const pv = a[c]![c]!;
    a[c] = a[c]!.map((v) => v / pv);
    for (let r = 0; r < k; r++) {
      if (r === c) continue;
      const f = a[r]![c]!;
      a[r] = a[r]!.map((v, j) => v - f * a[c]![j]!);
    }
  }
  return a.map((row) => row.slice(k));
}
