import { describe, expect, it } from "vitest";
import { normalizeReadings } from "@/domain/measurements/normalize";
import type { PointSetup, RawReading, VariableMapping } from "@/domain/measurements/types";

const now = new Date("2026-11-28T12:00:00Z");
const ctx = { pointId: 7, source: "novus_tago", now, futureToleranceMs: 5 * 60_000 };
const mappings: VariableMapping[] = [
  { variable: "flow", key: "caudal", unit: "m3/h" },
  { variable: "totalizer", key: "totalizador", unit: "pulses" },
  { variable: "level", key: "nivel", unit: "m" },
];
const setup: PointSetup = { levelMode: "depth_from_install", sensorInstallDepthM: 75, pulseFactorL: 1000 };
const at = "2026-11-28T11:00:00Z";
const r = (key: string, rawValue: RawReading["rawValue"], measuredAt = at, rawUnit?: string): RawReading => ({
  deviceRef: "dev-1",
  key,
  measuredAt: new Date(measuredAt),
  rawValue,
  rawUnit,
});

describe("normalizeReadings", () => {
  it("produces canonical rows with raw value and unit kept for audit", () => {
    const { rows, unmapped, rejected } = normalizeReadings(
      [r("caudal", "144,0"), r("totalizador", 512_340)],
      mappings,
      setup,
      ctx,
    );
    expect(unmapped).toEqual([]);
    expect(rejected).toEqual([]);
    expect(rows).toEqual([
      {
        pointId: 7,
        variable: "flow",
        ts: new Date(at),
        value: 40,
        rawValue: "144,0",
        rawUnit: "m3/h",
        quality: "ok",
        reason: null,
        source: "novus_tago",
      },
      {
        pointId: 7,
        variable: "totalizer",
        ts: new Date(at),
        value: 512_340,
        rawValue: "512340",
        rawUnit: "pulses",
        quality: "ok",
        reason: null,
        source: "novus_tago",
      },
    ]);
  });

  it("returns unknown keys in `unmapped` and emits nothing for them", () => {
    const battery = r("bateria", 3.6);
    const { rows, unmapped } = normalizeReadings([battery, r("caudal", 36)], mappings, setup, ctx);
    expect(unmapped).toEqual([battery]);
    expect(rows.map((x) => x.variable)).toEqual(["flow"]);
  });

  it("emits a water_table row derived from the level (depth_from_install)", () => {
    const { rows } = normalizeReadings([r("nivel", 30.5)], mappings, setup, ctx);
    expect(rows.map((x) => [x.variable, x.value, x.quality])).toEqual([
      ["level", 30.5, "ok"],
      ["water_table", 44.5, "ok"],
    ]);
  });

  it("emits no water_table when depth_from_install has no install depth", () => {
    const { rows } = normalizeReadings([r("nivel", 30.5)], mappings, { levelMode: "depth_from_install" }, ctx);
    expect(rows.map((x) => x.variable)).toEqual(["level"]);
  });

  it("in direct mode water_table equals the level reading", () => {
    const { rows } = normalizeReadings([r("nivel", 42.1)], mappings, { levelMode: "direct" }, ctx);
    expect(rows.map((x) => [x.variable, x.value])).toEqual([
      ["level", 42.1],
      ["water_table", 42.1],
    ]);
  });

  it("flags timestamps beyond now + tolerance as future, keeping the value", () => {
    const { rows } = normalizeReadings(
      [r("caudal", 36, "2026-11-28T12:04:59Z"), r("caudal", 36, "2026-11-28T12:05:01Z")],
      mappings,
      setup,
      ctx,
    );
    expect(rows.map((x) => x.quality)).toEqual(["ok", "future"]);
    expect(rows[1]!.value).toBe(10);
    expect(rows[1]!.reason).toMatch(/future/);
  });

  it("keeps error codes, status texts and unparseable values as rows with null values", () => {
    const { rows } = normalizeReadings(
      [r("nivel", -9999), r("caudal", "ERR"), r("totalizador", null)],
      mappings,
      setup,
      ctx,
    );
    expect(rows.map((x) => [x.variable, x.value, x.quality, x.rawValue])).toEqual([
      ["level", null, "error_code", "-9999"],
      ["water_table", null, "error_code", "-9999"],
      ["flow", null, "error_code", "ERR"],
      ["totalizer", null, "unparseable", null],
    ]);
  });

  it("flags a provider unit that contradicts the configured one", () => {
    const { rows } = normalizeReadings([r("caudal", 36, at, "L/s")], mappings, setup, ctx);
    expect(rows[0]).toMatchObject({ value: 10, quality: "suspect", rawUnit: "L/s" });
    expect(rows[0]!.reason).toMatch(/differs/);
    const same = normalizeReadings([r("caudal", 36, at, "M3/H")], mappings, setup, ctx);
    expect(same.rows[0]!.quality).toBe("ok");
  });

  it("rejects readings with an invalid timestamp", () => {
    const bad = r("caudal", 36, "not a date");
    const { rows, rejected } = normalizeReadings([bad], mappings, setup, ctx);
    expect(rows).toEqual([]);
    expect(rejected).toEqual([{ reading: bad, reason: "invalid measuredAt" }]);
  });

  it("maps one key to several variables when configured so", () => {
    const two: VariableMapping[] = [
      { variable: "flow", key: "x", unit: "L/s" },
      { variable: "level", key: "x", unit: "m" },
    ];
    const { rows } = normalizeReadings([r("x", 12)], two, { levelMode: "direct" }, ctx);
    expect(rows.map((x) => x.variable)).toEqual(["flow", "level", "water_table"]);
  });
});
