import type { PointSetup, VariableMapping } from "@/domain/measurements/types";
import { DEMO_ACCOUNTS } from "@/domain/demo/accounts";
import { ttsDeviceRef } from "@/domain/providers/tts";
import type { TagoSimDevice } from "./tago";
import type { TdataSimDevice } from "./tdata";
import type { ThethingsioSimDevice } from "./thethingsio";
import type { TtsSimDevice } from "./tts";
import type { WellConfig } from "./wells";

interface FleetWellBase {
  /** Stable demo code, also the generator seed source. */
  code: string;
  name: string;
  /** What the domain parsers put in RawReading.deviceRef for this well. */
  deviceRef: string;
  well: WellConfig;
  variables: VariableMapping[];
  point: PointSetup;
}

export type TdataFleetWell = FleetWellBase & TdataSimDevice & { provider: "tdata" };
type TtsFleetWell = FleetWellBase & TtsSimDevice & { provider: "tts" };
type ThethingsioFleetWell = FleetWellBase & ThethingsioSimDevice & { provider: "thethingsio" };
export type TagoFleetWell = FleetWellBase & TagoSimDevice & { provider: "tago" };
export type FleetWell = TdataFleetWell | TtsFleetWell | ThethingsioFleetWell | TagoFleetWell;

export interface DemoFleet {
  accounts: {
    tdata: { basePath: string; username: string; password: string };
    tts: { basePath: string; applicationId: string; apiKey: string; webhookSecret: string };
    thethingsio: { basePath: string };
    tago: { basePath: string; actionSecret: string };
  };
  wells: FleetWell[];
}

type Keys = { flow: string; totalizer: string; level: string };

interface Spec {
  code: string;
  name: string;
  lps: number;
  flowUnit: "L/s" | "m3/h";
  tot: "pulses" | "m3";
  litresPerPulse?: number;
  levelUnit: "m" | "cm";
  staticM: number;
  /** Logger reports the water column above a sensor hung at this depth. */
  sensorDepthM?: number;
  stepSec: number;
  duty: number;
}

const INSTALLED = new Date("2025-01-01T00:00:00Z");

function seedOf(code: string): number {
  let h = 2166136261;
  for (const c of code) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
  return h >>> 0;
}

function base(spec: Spec, keys: Keys, quirks: WellConfig["quirks"]): Omit<FleetWellBase, "deviceRef"> {
  const well: WellConfig = {
    id: spec.code,
    seed: seedOf(spec.code),
    installedAt: INSTALLED,
    stepSec: spec.stepSec,
    flow: { nominalLps: spec.lps, unit: spec.flowUnit },
    duty: { base: spec.duty },
    totalizer: {
      unit: spec.tot,
      litresPerPulse: spec.litresPerPulse,
      initialM3: spec.tot === "m3" ? Math.round(seedOf(spec.code) % 90_000) : undefined,
      resetEveryDays: 120,
      resetProbability: 0.3,
    },
    level: {
      unit: spec.levelUnit,
      staticM: spec.staticM,
      drawdownM: Math.round(spec.lps * 0.35 * 10) / 10,
      sensorDepthM: spec.sensorDepthM,
    },
    quirks,
  };
  const variables: VariableMapping[] = [
    { variable: "flow", key: keys.flow, unit: spec.flowUnit },
    { variable: "totalizer", key: keys.totalizer, unit: spec.tot },
    { variable: "level", key: keys.level, unit: spec.levelUnit },
  ];
  const point: PointSetup = {
    pulseFactorL: spec.tot === "pulses" ? (spec.litresPerPulse ?? 1000) : null,
    sensorInstallDepthM: spec.sensorDepthM ?? null,
    levelMode: spec.sensorDepthM === undefined ? "direct" : "depth_from_install",
    grantedFlowLps: Math.ceil(spec.lps * 1.15),
  };
  return { code: spec.code, name: spec.name, well, variables, point };
}

const s = (
  code: string,
  name: string,
  lps: number,
  flowUnit: Spec["flowUnit"],
  tot: Spec["tot"],
  litresPerPulse: number | undefined,
  levelUnit: Spec["levelUnit"],
  staticM: number,
  stepSec: number,
  duty: number,
  sensorDepthM?: number,
): Spec => ({
  code,
  name,
  lps,
  flowUnit,
  tot,
  litresPerPulse,
  levelUnit,
  staticM,
  stepSec,
  duty,
  sensorDepthM,
});

const TDATA: Spec[] = [
  s("TD-01", "Pozo 1 Fundo El Olivar", 18.5, "L/s", "m3", undefined, "m", 32.4, 300, 0.62),
  s("TD-02", "Pozo 2 Fundo El Olivar", 11.2, "L/s", "pulses", 100, "m", 41.0, 300, 0.55),
  s("TD-03", "Pozo Agrícola Santa Inés", 42.0, "m3/h", "m3", undefined, "m", 27.8, 600, 0.7, 60),
  s("TD-04", "Noria Los Litres", 4.1, "L/s", "pulses", 10, "m", 12.3, 900, 0.4),
  s("TD-05", "Pozo APR Chalinga", 7.8, "L/s", "m3", undefined, "m", 55.2, 300, 0.5),
];
const TTS: Spec[] = [
  s("NT-07", "Pozo 7 Fundo Norte", 12.4, "L/s", "pulses", 1000, "m", 38.5, 900, 0.6),
  s("NT-08", "Pozo 8 Fundo Norte", 21.0, "L/s", "pulses", 1000, "m", 44.1, 900, 0.65),
  s("NT-09", "Pozo Viña Cerro Alto", 6.5, "m3/h", "m3", undefined, "m", 29.9, 900, 0.45),
  s("NT-10", "Pozo Packing Las Cabras", 15.0, "L/s", "m3", undefined, "m", 36.0, 600, 0.58, 70),
  s("NT-11", "Pozo Lechería Quilaco", 9.3, "L/s", "pulses", 100, "m", 18.7, 900, 0.5),
  s("NT-12", "Pozo Minera Loma Roja", 30.5, "m3/h", "m3", undefined, "m", 88.0, 600, 0.8),
];
const TIO: Spec[] = [
  s("NI-01", "Pozo Parcela 14 Rinconada", 5.2, "L/s", "pulses", 1000, "m", 22.0, 300, 0.35),
  s("NI-02", "Pozo Hijuela Sur", 8.8, "L/s", "pulses", 100, "m", 31.5, 300, 0.5),
  s("NI-03", "Pozo Frutícola Maipo", 16.3, "L/s", "pulses", 1000, "m", 47.3, 600, 0.6),
  s("NI-04", "Pozo Comunidad Pangue", 3.4, "L/s", "pulses", 10, "m", 15.8, 900, 0.3),
];
const TAGO: Spec[] = [
  s("NV-01", "Pozo 1 Agrícola Los Andes", 14.0, "L/s", "m3", undefined, "m", 35.5, 300, 0.6),
  s("NV-02", "Pozo 2 Agrícola Los Andes", 10.5, "L/s", "pulses", 100, "m", 36.2, 300, 0.55),
  s("NV-03", "Pozo Sanitaria Llay-Llay", 25.0, "m3/h", "m3", undefined, "cm", 42.7, 60, 0.75),
  s("NV-04", "Pozo Tranque La Paloma", 6.1, "L/s", "pulses", 1000, "m", 24.4, 600, 0.45, 45),
  s("NV-05", "Pozo Invernadero Limache", 2.7, "L/s", "pulses", 10, "cm", 11.1, 300, 0.3),
];

const hex24 = (code: string, salt: number) =>
  (
    seedOf(`${code}:${salt}`).toString(16).padStart(8, "0") +
    seedOf(`${code}:${salt + 1}`)
      .toString(16)
      .padStart(8, "0") +
    seedOf(`${code}:${salt + 2}`)
      .toString(16)
      .padStart(8, "0")
  ).slice(0, 24);
const uuid = (code: string) => {
  const h = hex24(code, 1) + hex24(code, 9).slice(0, 8);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

const APP = DEMO_ACCOUNTS.tts.applicationId;

/** The demo fleet: 20 wells over the four platforms, identical on every run. */
export const DEMO_FLEET: DemoFleet = {
  accounts: DEMO_ACCOUNTS,
  wells: [
    ...TDATA.map((spec): TdataFleetWell => {
      const deviceId = uuid(spec.code);
      return {
        provider: "tdata",
        deviceId,
        deviceRef: deviceId,
        ...base(
          spec,
          { flow: "5001", totalizer: "5003", level: "5010" },
          {
            errorCodeRate: 0.003,
            errorCodes: [-9999],
            errorTexts: ["ERR"],
            missingRate: 0.005,
            lateRate: 0.03,
            lateMaxSec: 8 * 3600,
          },
        ),
      };
    }),
    ...TTS.map((spec, i): TtsFleetWell => {
      const deviceId = `nettra-rtu-${spec.code.toLowerCase()}`;
      const keys = {
        flow: spec.flowUnit === "L/s" ? "flow_ls" : "flow_m3h",
        totalizer: spec.tot === "pulses" ? "pulses" : "totalizer_m3",
        level: "level_m",
      };
      return {
        provider: "tts",
        applicationId: APP,
        deviceId,
        devEui: `70B3D57ED005${hex24(spec.code, 3).slice(0, 4).toUpperCase()}`,
        deviceTimeKey: i % 2 === 0 ? "ts" : null,
        deviceRef: ttsDeviceRef(APP, deviceId),
        decodeFailRate: 0.004,
        ...base(spec, keys, {
          errorCodeRate: 0.003,
          errorCodes: [-9999],
          missingRate: 0.01,
          lateRate: 0.01,
          lateMaxSec: 4 * 3600,
          duplicateRate: 0.01,
        }),
      };
    }),
    ...TIO.map((spec): ThethingsioFleetWell => ({
      provider: "thethingsio",
      thingToken: `demo-${hex24(spec.code, 5)}${hex24(spec.code, 7).slice(0, 12)}`,
      deviceRef: `thethingsio:${spec.code.toLowerCase()}`,
      ...base(
        spec,
        { flow: "caudal", totalizer: "pulsos", level: "nivel" },
        { errorCodeRate: 0.004, errorCodes: [-9999], missingRate: 0.005, duplicateRate: 0.005 },
      ),
    })),
    ...TAGO.map((spec, i): TagoFleetWell => {
      const deviceId = hex24(spec.code, 11);
      return {
        provider: "tago",
        deviceId,
        deviceToken: uuid(`${spec.code}:token`),
        deviceRef: deviceId,
        stringVariables: i % 2 === 1 ? ["nivel"] : [],
        ...base(
          spec,
          { flow: "caudal", totalizer: "totalizador", level: "nivel" },
          {
            errorCodeRate: 0.006,
            errorCodes: [-9999, -1, -2, -3],
            missingRate: 0.005,
            lateRate: 0.02,
            lateMaxSec: 12 * 3600,
            duplicateRate: 0.02,
          },
        ),
      };
    }),
  ],
};

export const fleetFor = <P extends FleetWell["provider"]>(
  provider: P,
  fleet: DemoFleet = DEMO_FLEET,
): Extract<FleetWell, { provider: P }>[] =>
  fleet.wells.filter((w): w is Extract<FleetWell, { provider: P }> => w.provider === provider);

/**
 * The demo's real faults, starting a few minutes after `start` on three of the twenty wells (so the
 * demo shows a handful of true alarms, never a flood): a level collapse, a frozen totalizer and a pump
 * delivering above its right. The other wells run normally.
 */
export function demoFleetWithFaults(start: Date, fleet: DemoFleet = DEMO_FLEET): DemoFleet {
  const at = (min: number) => new Date(start.getTime() + min * 60_000);
  const faults: Record<string, WellConfig["faults"]> = {
    "NV-01": [{ kind: "level_collapse", from: at(15), depthM: 25, rampMin: 30 }],
    "TD-02": [{ kind: "frozen_totalizer", from: at(10) }],
    "NI-03": [{ kind: "over_right", from: at(20), factor: 1.5 }],
  };
  return {
    ...fleet,
    wells: fleet.wells.map((w) => (faults[w.code] ? { ...w, well: { ...w.well, faults: faults[w.code] } } : w)),
  };
}
