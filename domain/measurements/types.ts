import type { ErrorCodeRule } from "./error-codes";

/** Canonical variables. Codes are the smallint stored in the `measurement` table. */
export const VARIABLES = ["flow", "totalizer", "level", "water_table"] as const;
export type Variable = (typeof VARIABLES)[number];
export const VARIABLE_CODE: Record<Variable, number> = { flow: 1, totalizer: 2, level: 3, water_table: 4 };
export const VARIABLE_BY_CODE: Record<number, Variable> = { 1: "flow", 2: "totalizer", 3: "level", 4: "water_table" };

/** Units a provider may send, per variable family. Canonical: flow L/s, totalizer m3, level m. */
export const RAW_UNITS = ["L/s", "m3/h", "L/min", "m3", "L", "pulses", "m", "cm"] as const;
export type RawUnit = (typeof RAW_UNITS)[number];

/** One value exactly as a provider delivered it, before any unit maths. */
export interface RawReading {
  /** Provider device reference (T.Data device UUID, TTS device id, Tago device id, thing token ref). */
  deviceRef: string;
  /** Provider variable key (e.g. "5001", "caudal", "decoded_payload.flow_ls"). */
  key: string;
  /** Measurement instant (UTC). */
  measuredAt: Date;
  rawValue: string | number | boolean | null;
  rawUnit?: string | null;
  /** Provider-side id, when there is one (Tago record id, TTS correlation id). */
  sourceId?: string | null;
  /** When the provider received it (TTS received_at, Tago created_at). */
  receivedAt?: Date | null;
}

/** How a binding maps one provider key to one canonical variable (stored in BindingVariable). */
export interface VariableMapping {
  variable: Exclude<Variable, "water_table">;
  key: string;
  unit: RawUnit;
  /** Extra divisor-free multiplier applied after the unit conversion (default 1). */
  scale?: number;
  /** Raw values that are logger status codes on this variable (see error-codes.ts); absent = DEFAULT_ERROR_SENTINELS. */
  errorCodes?: readonly ErrorCodeRule[];
}

/** Point set-up needed to turn raw values into canonical ones. */
export interface PointSetup {
  /** Litres per pulse for pulse totalizers. */
  pulseFactorL?: number | null;
  /** Sensor installation depth (m below the reference), for level_mode depth_from_install. */
  sensorInstallDepthM?: number | null;
  levelMode: "direct" | "depth_from_install";
  grantedFlowLps?: number | null;
}
