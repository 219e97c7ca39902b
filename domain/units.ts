import type { PointSetup, RawUnit, VariableMapping } from "./measurements/types";
import { worse, type QualityName } from "./measurements/quality";
import { isErrorCode } from "./measurements/error-codes";

type MeasuredVariable = VariableMapping["variable"];

/** The canonical variable family each raw unit belongs to (canonical units: flow L/s, totalizer m3, level m). */
export const UNIT_VARIABLE: Record<RawUnit, MeasuredVariable> = {
  "L/s": "flow",
  "m3/h": "flow",
  "L/min": "flow",
  m3: "totalizer",
  L: "totalizer",
  pulses: "totalizer",
  m: "level",
  cm: "level",
};

/** Raw value / divisor = canonical value. Pulses are handled separately (they need litres per pulse). */
const DIVISOR: Record<Exclude<RawUnit, "pulses">, number> = {
  "L/s": 1,
  "m3/h": 3.6,
  "L/min": 60,
  m3: 1,
  L: 1000,
  m: 1,
  cm: 100,
};

/** Logger status codes that providers send in place of a reading, whatever the variable. */
export const DEFAULT_ERROR_SENTINELS: readonly number[] = [-9999];

export type ParsedNumber = { ok: true; value: number } | { ok: false; reason: string };

// Comma or dot decimal, no thousands separators: "1.234,5" is ambiguous and rejected rather than guessed.
const NUMERIC = /^[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?$/;

/** Parses a provider value: finite numbers and numeric strings ("12.5", "12,5", "1e3"); booleans, "", null, NaN and ±Infinity are invalid. */
export function parseProviderNumber(raw: unknown): ParsedNumber {
  if (raw === null || raw === undefined) return { ok: false, reason: "missing value" };
  if (typeof raw === "boolean") return { ok: false, reason: "boolean is not a measurement" };
  if (typeof raw === "number") {
    return Number.isFinite(raw) ? { ok: true, value: raw } : { ok: false, reason: `non-finite number ${raw}` };
  }
  if (typeof raw !== "string") return { ok: false, reason: `unsupported type ${typeof raw}` };
  const s = raw.trim();
  if (s === "") return { ok: false, reason: "empty string" };
  if (!NUMERIC.test(s)) return { ok: false, reason: `not a number: "${raw.slice(0, 40)}"` };
  const value = Number(s.replace(",", "."));
  return Number.isFinite(value)
    ? { ok: true, value }
    : { ok: false, reason: `non-finite number "${raw.slice(0, 40)}"` };
}

function requirePulseFactor(pulseFactorL: number | null | undefined): number {
  if (pulseFactorL === null || pulseFactorL === undefined || !(pulseFactorL > 0) || !Number.isFinite(pulseFactorL)) {
    throw new RangeError("pulses need a positive pulseFactorL (litres per pulse)");
  }
  return pulseFactorL;
}

/** Converts a value in `unit` to its canonical unit (flow L/s, totalizer m3, level m); pulses: m3 = pulses × pulseFactorL / 1000. Throws RangeError for pulses without a positive factor. */
export function convertToCanonical(value: number, unit: RawUnit, pulseFactorL?: number | null): number {
  if (unit === "pulses") return (value * requirePulseFactor(pulseFactorL)) / 1000;
  return value / DIVISOR[unit];
}

/** Inverse of convertToCanonical: canonical value (L/s, m3, m) expressed in `unit`. */
export function convertFromCanonical(valueCanonical: number, unit: RawUnit, pulseFactorL?: number | null): number {
  if (unit === "pulses") return (valueCanonical * 1000) / requirePulseFactor(pulseFactorL);
  return valueCanonical * DIVISOR[unit];
}

/** A canonical value with its intrinsic quality (what can be told from the single reading alone). */
export interface CanonicalValue {
  value: number | null;
  flag: QualityName;
  reason: string | null;
}

export interface CanonicalOptions {
  /** Raw values that are logger status codes for every variable (default DEFAULT_ERROR_SENTINELS). */
  errorSentinels?: readonly number[];
}

const bad = (flag: QualityName, reason: string): CanonicalValue => ({ value: null, flag, reason });

/**
 * Turns one raw provider value into the canonical unit of `mapping.variable` (flow L/s, totalizer m3, level m).
 * Error codes (sentinels, the mapping's configured codes, negative totalizer/level, non-numeric strings) give value
 * null + error_code and are never turned into 0.
 * Negative flow is kept as a value and flagged suspect ("negative flow"), never clamped.
 * Level is the sensor reading in metres; see deriveWaterTable for the depth to water.
 */
export function toCanonical(
  mapping: VariableMapping,
  raw: unknown,
  setup: PointSetup,
  options: CanonicalOptions = {},
): CanonicalValue {
  const parsed = parseProviderNumber(raw);
  if (!parsed.ok) {
    // A logger that writes "ERR", "OVF" or "NaN" reports a status, not an unreadable number: same handling as a numeric code.
    return typeof raw === "string" && raw.trim() !== ""
      ? bad("error_code", `non-numeric logger value "${raw.trim().slice(0, 40)}"`)
      : bad("unparseable", parsed.reason);
  }
  const n = parsed.value;
  if ((options.errorSentinels ?? DEFAULT_ERROR_SENTINELS).includes(n))
    return bad("error_code", `logger error code ${n}`);
  if (mapping.errorCodes && isErrorCode(n, mapping.errorCodes)) return bad("error_code", `logger error code ${n}`);
  if (UNIT_VARIABLE[mapping.unit] !== mapping.variable) {
    return bad("unparseable", `unit ${mapping.unit} does not measure ${mapping.variable}`);
  }
  if (n < 0 && mapping.variable !== "flow")
    return bad("error_code", `negative ${mapping.variable} reading ${n} is a logger error code`);
  const scale = mapping.scale ?? 1;
  if (!(scale > 0) || !Number.isFinite(scale)) return bad("unparseable", `invalid scale ${scale}`);
  let converted: number;
  try {
    converted = convertToCanonical(n, mapping.unit, setup.pulseFactorL);
  } catch (e) {
    return bad("unparseable", e instanceof Error ? e.message : String(e));
  }
  const value = converted * scale;
  if (mapping.variable === "flow" && value < 0) return { value, flag: "suspect", reason: "negative flow" };
  // A Modbus (0,0) read failure looks exactly like a zero total.
  if (mapping.variable === "totalizer" && value === 0)
    return { value, flag: "suspect", reason: "zero totalizer (likely a failed read)" };
  return { value, flag: "ok", reason: null };
}

/**
 * Depth to water below the well reference (m, positive downward), from a canonical level value.
 * levelMode "direct": the sensor reading already is the depth to water, so it is returned as is.
 * levelMode "depth_from_install": the reading is the water column above the sensor, so
 * depth = sensorInstallDepthM − reading; null when the install depth is unknown.
 * A negative depth (column taller than the install depth) is kept and flagged suspect, not clamped to 0.
 */
export function deriveWaterTable(level: CanonicalValue, setup: PointSetup): CanonicalValue | null {
  if (setup.levelMode === "direct") return { ...level };
  const install = setup.sensorInstallDepthM;
  if (install === null || install === undefined || !Number.isFinite(install)) return null;
  if (level.value === null) return { ...level };
  const depthM = install - level.value;
  if (depthM < 0) {
    const reason = `water column ${level.value} m exceeds sensor install depth ${install} m`;
    return {
      value: depthM,
      flag: worse(level.flag, "suspect"),
      reason: level.reason ? `${level.reason}; ${reason}` : reason,
    };
  }
  return { value: depthM, flag: level.flag, reason: level.reason };
}
