/**
 * Deterministic well generator. Every value is a pure function of (config, t), so any window
 * of any simulator returns the same history without replaying from the install date.
 */

export interface WellConfig {
  id: string;
  seed: number;
  installedAt: Date;
  /** Logger reporting interval; samples sit on multiples of it since the epoch. */
  stepSec: number;
  flow: { nominalLps: number; unit: "L/s" | "m3/h"; noise?: number };
  /** Mean fraction of each hour the pump runs, and how much it varies hour to hour. */
  duty: { base: number; swing?: number; diurnal?: number };
  totalizer: {
    unit: "pulses" | "m3";
    litresPerPulse?: number;
    initialM3?: number;
    resetEveryDays?: number;
    resetProbability?: number;
  };
  /** Depth to water from the well top; `sensorDepthM` set = the logger reports the water column above the sensor instead. */
  level: {
    unit: "m" | "cm";
    staticM: number;
    drawdownM: number;
    drawdownTauMin?: number;
    recoveryTauMin?: number;
    sensorDepthM?: number;
  };
  quirks?: {
    errorCodeRate?: number;
    errorCodes?: number[];
    /** Texts some loggers write instead of a value ("ERR"): a share of the error readings uses them. */
    errorTexts?: string[];
    missingRate?: number;
    lateRate?: number;
    lateMaxSec?: number;
    duplicateRate?: number;
    /** Normal transport delay range (s) between measurement and delivery. */
    deliveryDelaySec?: [number, number];
  };
  /** Real faults injected from a given instant (the demo starts a few so its alarms are real). */
  faults?: WellFault[];
}

/**
 * level_collapse: the water table falls by depthM over rampMin and stays there (aquifer collapse, sensor slip).
 * frozen_totalizer: the register stops at its value at `from` while the pump keeps running.
 * over_right: the pump delivers `factor` × its nominal flow (volume follows).
 * offline: the logger stops reporting.
 */
export type WellFault =
  | { kind: "level_collapse"; from: Date; depthM: number; rampMin: number }
  | { kind: "frozen_totalizer"; from: Date }
  | { kind: "over_right"; from: Date; factor: number }
  | { kind: "offline"; from: Date };

export interface WellSample {
  t: Date;
  pumpOn: boolean;
  /** In the configured units; negative logger error codes replace flow/level sometimes. */
  flow: number;
  /** A logger status text ("ERR") sent instead of the flow value, when the logger wrote one. */
  flowText: string | null;
  totalizer: number;
  level: number;
  /** Ground truth for tests: litres pumped since install, and since the current meter was fitted. */
  volumeL: number;
  meterVolumeL: number;
  deliveredAt: Date;
  /** Second delivery of the same measurement (logger backlog replay, webhook retry…). */
  duplicateAt: Date | null;
}

const HOUR = 3600;
const SALT = {
  duty: 1,
  flow: 2,
  level: 3,
  err: 4,
  errPick: 5,
  missing: 6,
  late: 7,
  delay: 8,
  dup: 9,
  reset: 10,
  resetAt: 11,
} as const;

/** 32-bit avalanche hash → [0, 1). */
export function rand(seed: number, n: number, salt: number): number {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(salt + 1, 0xc2b2ae35);
  const lo = n >>> 0;
  const hi = Math.floor(n / 4294967296) >>> 0;
  for (const part of [lo, hi]) {
    h = Math.imul(h ^ part, 0xcc9e2d51);
    h = (h << 15) | (h >>> 17);
    h = Math.imul(h, 0x1b873593) ^ 0xe6546b64;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}

interface Model {
  base: number;
  swing: number;
  /** Zero-sum 24 h profile and its prefix sums, so sums over any hour range are closed-form. */
  profile: number[];
  prefix: number[];
  qLps: number;
  installSec: number;
  installHour: number;
}

const models = new WeakMap<WellConfig, Model>();

function model(cfg: WellConfig): Model {
  const cached = models.get(cfg);
  if (cached) return cached;
  const diurnal = cfg.duty.diurnal ?? 0.1;
  const base = Math.min(Math.max(cfg.duty.base, 0), 1);
  const raw = Array.from({ length: 24 }, (_, k) => diurnal * Math.cos((2 * Math.PI * (k - 14)) / 24));
  const mean = raw.reduce((a, b) => a + b, 0) / 24;
  const amp = Math.max(0, Math.min(diurnal, base, 1 - base));
  const profile = raw.map((p) => ((p - mean) * amp) / (diurnal || 1));
  // Swing is limited so duty never needs clamping: clamping would break the closed-form sum.
  const swing = Math.max(0, Math.min(cfg.duty.swing ?? 0.25, base - amp, 1 - base - amp));
  const prefix = [0];
  for (const p of profile) prefix.push(prefix[prefix.length - 1]! + p);
  const installSec = Math.floor(cfg.installedAt.getTime() / 1000);
  const m = {
    base,
    swing,
    profile,
    prefix,
    qLps: cfg.flow.nominalLps,
    installSec,
    installHour: Math.floor(installSec / HOUR),
  };
  models.set(cfg, m);
  return m;
}

const mod24 = (h: number) => ((h % 24) + 24) % 24;

/** Fraction of UTC hour `h` (hours since epoch) the pump runs: base + telescoping noise + diurnal profile. */
export function dutyForHour(cfg: WellConfig, h: number): number {
  const m = model(cfg);
  return m.base + m.swing * (rand(cfg.seed, h, SALT.duty) - rand(cfg.seed, h - 1, SALT.duty)) + m.profile[mod24(h)]!;
}

function profileSum(m: Model, h0: number, h1: number): number {
  const c = (n: number) => m.prefix[mod24(n)]!;
  return c(h1) - c(h0);
}

/** Litres pumped in [installedAt, t]: the integral of the duty cycle, in O(1). */
export function volumeLitresAt(cfg: WellConfig, tSec: number): number {
  const m = model(cfg);
  if (tSec <= m.installSec) return 0;
  const onSecondsUntil = (sec: number): number => {
    const h = Math.floor(sec / HOUR);
    const whole =
      (h - m.installHour) * m.base +
      m.swing * (rand(cfg.seed, h - 1, SALT.duty) - rand(cfg.seed, m.installHour - 1, SALT.duty)) +
      profileSum(m, m.installHour, h);
    return whole * HOUR + Math.min(sec - h * HOUR, dutyForHour(cfg, h) * HOUR);
  };
  return m.qLps * (onSecondsUntil(tSec) - onSecondsUntil(m.installSec));
}

/** Most recent meter replacement at or before t (epoch s), or the install time. */
export function lastResetSec(cfg: WellConfig, tSec: number): number {
  const { installSec } = model(cfg);
  const days = cfg.totalizer.resetEveryDays;
  if (!days || days < 1 || tSec <= installSec) return installSec;
  const period = days * 86400;
  for (let k = Math.floor((tSec - installSec) / period); k >= 1; k--) {
    if (rand(cfg.seed, k, SALT.reset) >= (cfg.totalizer.resetProbability ?? 0.5)) continue;
    const at = installSec + k * period + Math.floor(rand(cfg.seed, k, SALT.resetAt) * period);
    if (at <= tSec) return at;
  }
  return installSec;
}

function drawdownM(cfg: WellConfig, tSec: number): number {
  const smax = cfg.level.drawdownM;
  const tauD = (cfg.level.drawdownTauMin ?? 8) * 60;
  const tauR = (cfg.level.recoveryTauMin ?? 12) * 60;
  const h = Math.floor(tSec / HOUR);
  const prevOn = dutyForHour(cfg, h - 1) * HOUR;
  const residual = smax * (1 - Math.exp(-prevOn / tauD)) * Math.exp(-(HOUR - prevOn) / tauR);
  const on = dutyForHour(cfg, h) * HOUR;
  const tau = tSec - h * HOUR;
  const rise = (x: number) => residual + (smax - residual) * (1 - Math.exp(-x / tauD));
  return tau < on ? rise(tau) : rise(on) * Math.exp(-(tau - on) / tauR);
}

const round = (v: number, decimals: number) => Math.round(v * 10 ** decimals) / 10 ** decimals;

/** The sample on the grid at `tSec`, or null when the logger skipped it or the well was not installed. */
const faultOf = <K extends WellFault["kind"]>(
  cfg: WellConfig,
  kind: K,
  tSec: number,
): Extract<WellFault, { kind: K }> | null =>
  (cfg.faults?.find((f) => f.kind === kind && f.from.getTime() <= tSec * 1000) as
    Extract<WellFault, { kind: K }> | undefined) ?? null;

/** Litres pumped in [installedAt, t], faults included (an over-right fault scales the flow from its start). */
function faultedVolumeL(cfg: WellConfig, tSec: number): number {
  const v = volumeLitresAt(cfg, tSec);
  const over = faultOf(cfg, "over_right", tSec);
  return over ? v + (over.factor - 1) * (v - volumeLitresAt(cfg, over.from.getTime() / 1000)) : v;
}

export function sampleAt(cfg: WellConfig, tSec: number): WellSample | null {
  const m = model(cfg);
  const q = cfg.quirks ?? {};
  if (tSec < m.installSec || rand(cfg.seed, tSec, SALT.missing) < (q.missingRate ?? 0)) return null;
  if (faultOf(cfg, "offline", tSec)) return null;
  const h = Math.floor(tSec / HOUR);
  const pumpOn = tSec - h * HOUR < dutyForHour(cfg, h) * HOUR;
  const noise = cfg.flow.noise ?? 0.03;
  const over = faultOf(cfg, "over_right", tSec);
  const lps = pumpOn ? m.qLps * (over?.factor ?? 1) * (1 + noise * (2 * rand(cfg.seed, tSec, SALT.flow) - 1)) : 0;
  let flow = cfg.flow.unit === "m3/h" ? round(lps * 3.6, 2) : round(lps, 2);

  const volumeL = faultedVolumeL(cfg, tSec);
  const resetAt = lastResetSec(cfg, tSec);
  const frozen = faultOf(cfg, "frozen_totalizer", tSec);
  const meterVolumeL =
    (frozen ? faultedVolumeL(cfg, Math.floor(frozen.from.getTime() / 1000)) : volumeL) - faultedVolumeL(cfg, resetAt);
  const firstMeter = resetAt === m.installSec;
  const totalizer =
    cfg.totalizer.unit === "pulses"
      ? Math.floor(meterVolumeL / (cfg.totalizer.litresPerPulse ?? 1000))
      : round((firstMeter ? (cfg.totalizer.initialM3 ?? 0) : 0) + meterVolumeL / 1000, 3);

  const yearPhase = (2 * Math.PI * tSec) / (365.25 * 86400);
  const collapse = faultOf(cfg, "level_collapse", tSec);
  const collapseM = collapse
    ? collapse.depthM * Math.min(1, (tSec - collapse.from.getTime() / 1000) / 60 / collapse.rampMin)
    : 0;
  const depth =
    cfg.level.staticM +
    0.4 * Math.sin(yearPhase) +
    drawdownM(cfg, tSec) +
    collapseM +
    0.02 * (2 * rand(cfg.seed, tSec, SALT.level) - 1);
  const reported = cfg.level.sensorDepthM === undefined ? depth : cfg.level.sensorDepthM - depth;
  let level = cfg.level.unit === "cm" ? Math.round(reported * 100) : round(reported, 2);

  const codes = q.errorCodes ?? [-9999, -1];
  const errorRate = q.errorCodeRate ?? 0;
  const pick = () => codes[Math.floor(rand(cfg.seed, tSec, SALT.errPick) * codes.length)] ?? -9999;
  const errRoll = rand(cfg.seed, tSec, SALT.err);
  let flowText: string | null = null;
  if (errRoll < errorRate / 2) level = pick();
  else if (errRoll < errorRate) {
    const texts = q.errorTexts ?? [];
    if (texts.length && rand(cfg.seed, tSec, SALT.errPick + 100) < 0.5)
      flowText = texts[Math.floor(rand(cfg.seed, tSec, SALT.errPick + 200) * texts.length)] ?? "ERR";
    else flow = pick();
  }

  const [dMin, dMax] = q.deliveryDelaySec ?? [3, 90];
  const late = rand(cfg.seed, tSec, SALT.late) < (q.lateRate ?? 0);
  const delay = late
    ? 3600 + rand(cfg.seed, tSec, SALT.delay) * ((q.lateMaxSec ?? 6 * HOUR) - 3600)
    : dMin + rand(cfg.seed, tSec, SALT.delay) * (dMax - dMin);
  const deliveredMs = Math.round((tSec + delay) * 1000);
  const dup = rand(cfg.seed, tSec, SALT.dup) < (q.duplicateRate ?? 0);
  return {
    t: new Date(tSec * 1000),
    pumpOn,
    flow,
    flowText,
    totalizer,
    level,
    volumeL,
    meterVolumeL,
    deliveredAt: new Date(deliveredMs),
    duplicateAt: dup
      ? new Date(deliveredMs + 30_000 + Math.round(rand(cfg.seed, tSec, SALT.dup + 100) * 600_000))
      : null,
  };
}
