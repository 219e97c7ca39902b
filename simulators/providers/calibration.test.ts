import { describe, expect, it } from "vitest";
import type { AnomalyType } from "@/domain/anomalies/rules";
import { DEMO_FLEET, demoFleetWithFaults, type FleetWell } from "./fleet";
import { replayWell, type ReplayAlarm } from "./replay-rules";
import type { WellFault } from "./wells";

/*
 * Calibration of every anomaly rule (domain/anomalies) on the demo fleet's simulated operation: hourly
 * pump cycles with drawdown and recovery, diurnal duty, meter replacements, logger error codes and
 * "ERR" texts, missed, late and duplicate deliveries. Normal operation must stay below one false alarm
 * per well per week, and every injected fault must still raise its alarm.
 */
const FROM = new Date("2026-10-01T00:00:00Z");
const WEEKS = 4;
const TO = new Date(FROM.getTime() + WEEKS * 7 * 86_400_000);
const well = (code: string): FleetWell => DEMO_FLEET.wells.find((w) => w.code === code)!;
const withFault = (w: FleetWell, fault: WellFault): FleetWell => ({ ...w, well: { ...w.well, faults: [fault] } });

describe("anomaly rules on a simulated month", () => {
  it("raise fewer than 1 false alarm per well per week on normal operation, and catch every injected fault", () => {
    const normal = new Map<string, ReplayAlarm[]>();
    for (const w of DEMO_FLEET.wells) normal.set(w.code, replayWell(w, FROM, TO, { batchMs: 15 * 60_000 }));
    const falseAlarms = [...normal.values()].reduce((n, a) => n + a.length, 0);
    const perWellWeek = falseAlarms / DEMO_FLEET.wells.length / WEEKS;
    console.log(
      `calibration: ${falseAlarms} false alarm(s) on ${DEMO_FLEET.wells.length} wells × ${WEEKS} weeks = ${perWellWeek.toFixed(3)} per well per week`,
      [...normal]
        .filter(([, a]) => a.length)
        .map(([code, a]) => `${code}: ${a.map((x) => `${x.type}@${x.at.toISOString()}`).join(", ")}`),
    );
    expect(perWellWeek).toBeLessThan(1);

    const start = new Date("2026-10-20T09:20:00Z");
    const cases: [string, WellFault, AnomalyType][] = [
      ["NV-01", { kind: "level_collapse", from: start, depthM: 25, rampMin: 30 }, "level_drop"],
      ["TD-03", { kind: "level_collapse", from: start, depthM: 25, rampMin: 60 }, "level_drop"],
      ["TD-02", { kind: "frozen_totalizer", from: start }, "totalizer_frozen"],
      ["NI-03", { kind: "over_right", from: start, factor: 1.5 }, "flow_above_granted"],
      ["NT-07", { kind: "offline", from: start }, "point_offline"],
    ];
    const caught: string[] = [];
    for (const [code, fault, expected] of cases) {
      const alarms = replayWell(
        withFault(well(code), fault),
        new Date(start.getTime() - 86_400_000),
        new Date(start.getTime() + 6 * 3_600_000),
      );
      const before = alarms.filter((a) => a.at < start);
      const after = alarms.filter((a) => a.at >= start && a.at.getTime() <= start.getTime() + 3 * 3_600_000);
      expect(before, `${code}: alarms before the fault`).toEqual([]);
      expect(
        after.map((a) => a.type),
        `${code}: ${fault.kind} must raise ${expected}`,
      ).toContain(expected);
      caught.push(
        `${code} ${fault.kind} → ${expected} after ${Math.round((after.find((a) => a.type === expected)!.at.getTime() - start.getTime()) / 60_000)} min`,
      );
    }
    console.log("calibration: injected faults caught:", caught);
  }, 900_000);

  it("the demo fleet after an hour of running: only the wells with an injected fault are in alarm (fewer than 1 in 5)", () => {
    const start = new Date("2026-11-05T14:03:00Z");
    const fleet = demoFleetWithFaults(start);
    // The collector's first polls bring the previous day too: rules run over it as fresh data.
    const inAlarm = fleet.wells
      .filter(
        (w) => replayWell(w, new Date(start.getTime() - 86_400_000), new Date(start.getTime() + 3_600_000)).length > 0,
      )
      .map((w) => w.code);
    expect(inAlarm.sort()).toEqual(
      fleet.wells
        .filter((w) => w.well.faults?.length)
        .map((w) => w.code)
        .sort(),
    );
    expect(inAlarm.length / fleet.wells.length).toBeLessThan(0.2);
  }, 600_000);
});
