import { DEFAULT_ERROR_CODES } from "./measurements/error-codes";
import { describe, expect, it } from "vitest";
import {
  DEFAULT_ERROR_SENTINELS,
  UNIT_VARIABLE,
  convertFromCanonical,
  convertToCanonical,
  deriveWaterTable,
  parseProviderNumber,
  toCanonical,
} from "@/domain/units";
import type { PointSetup, VariableMapping } from "@/domain/measurements/types";

const direct: PointSetup = { levelMode: "direct" };
const flowLs: VariableMapping = { variable: "flow", key: "5001", unit: "L/s" };
const tot: VariableMapping = { variable: "totalizer", key: "5002", unit: "m3" };
const level: VariableMapping = { variable: "level", key: "5003", unit: "m" };

describe("parseProviderNumber", () => {
  it.each([
    [12.5, 12.5],
    ["12.5", 12.5],
    ["12,5", 12.5],
    [" 42 ", 42],
    ["-3,25", -3.25],
    ["1e3", 1000],
    [",5", 0.5],
    [0, 0],
  ])("parses %j as %d", (raw, expected) => {
    expect(parseProviderNumber(raw)).toEqual({ ok: true, value: expected });
  });

  it.each([
    [true],
    [false],
    [""],
    ["   "],
    [null],
    [undefined],
    [NaN],
    [Infinity],
    ["abc"],
    ["1.234,5"],
    ["12 m"],
    [{}],
  ])("rejects %j", (raw) => {
    const r = parseProviderNumber(raw);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/\w/);
  });
});

describe("unit conversions", () => {
  it("converts flow units to L/s", () => {
    expect(convertToCanonical(36, "m3/h")).toBeCloseTo(10, 12);
    expect(convertToCanonical(600, "L/min")).toBe(10);
    expect(convertToCanonical(45.2, "L/s")).toBe(45.2);
  });

  it("converts totalizer units to m3", () => {
    expect(convertToCanonical(125_000, "L")).toBe(125);
    expect(convertToCanonical(4_500, "pulses", 100)).toBe(450);
    expect(convertToCanonical(812_345, "m3")).toBe(812_345);
  });

  it("converts level cm to m", () => {
    expect(convertToCanonical(4_250, "cm")).toBe(42.5);
  });

  it("refuses pulses without a positive factor", () => {
    expect(() => convertToCanonical(10, "pulses")).toThrow(RangeError);
    expect(() => convertToCanonical(10, "pulses", 0)).toThrow(RangeError);
    expect(() => convertFromCanonical(10, "pulses", -1)).toThrow(RangeError);
  });

  it("inverts every unit", () => {
    for (const unit of Object.keys(UNIT_VARIABLE) as (keyof typeof UNIT_VARIABLE)[]) {
      expect(convertFromCanonical(convertToCanonical(123.4, unit, 10), unit, 10)).toBeCloseTo(123.4, 9);
    }
  });
});

describe("toCanonical", () => {
  it("converts and applies scale", () => {
    expect(toCanonical({ ...flowLs, unit: "m3/h" }, "180", direct)).toEqual({ value: 50, flag: "ok", reason: null });
    expect(toCanonical({ ...tot, scale: 10 }, 3_512, direct)).toEqual({ value: 35_120, flag: "ok", reason: null });
    expect(toCanonical({ ...tot, unit: "pulses" }, "9000", { ...direct, pulseFactorL: 1000 }).value).toBe(9_000);
  });

  it("keeps negative flow as a value, flagged suspect", () => {
    expect(toCanonical(flowLs, -2.4, direct)).toEqual({ value: -2.4, flag: "suspect", reason: "negative flow" });
  });

  it("treats negative totalizer and level as logger error codes, never 0", () => {
    const t = toCanonical(tot, -5, direct);
    expect(t).toMatchObject({ value: null, flag: "error_code" });
    const l = toCanonical(level, "-1", direct);
    expect(l).toMatchObject({ value: null, flag: "error_code" });
  });

  it("treats the sentinel as an error code for every variable, including flow", () => {
    expect(DEFAULT_ERROR_SENTINELS).toContain(-9999);
    expect(toCanonical(flowLs, -9999, direct)).toMatchObject({
      value: null,
      flag: "error_code",
      reason: "logger error code -9999",
    });
    expect(toCanonical(level, 32767, direct, { errorSentinels: [32767] })).toMatchObject({
      value: null,
      flag: "error_code",
    });
    expect(toCanonical(level, 32767, direct).value).toBe(32767);
  });

  it("flags unparseable values with a null value", () => {
    for (const raw of [true, "", null, NaN]) {
      expect(toCanonical(flowLs, raw, direct)).toMatchObject({ value: null, flag: "unparseable" });
    }
  });

  it("stores non-numeric logger texts as error codes with a null value", () => {
    for (const raw of ["ERR", "n/a", "NaN", " OVF "]) {
      expect(toCanonical(flowLs, raw, direct)).toMatchObject({
        value: null,
        flag: "error_code",
        reason: expect.stringMatching(/^non-numeric logger value/) as string,
      });
    }
  });

  it("applies the mapping's configured error codes (Novus negative flow codes) before any conversion", () => {
    const novusFlow = { ...flowLs, errorCodes: DEFAULT_ERROR_CODES.tago.flow };
    expect(toCanonical(novusFlow, -3, direct)).toMatchObject({
      value: null,
      flag: "error_code",
      reason: "logger error code -3",
    });
    expect(toCanonical(novusFlow, "-1", direct)).toMatchObject({ value: null, flag: "error_code" });
    expect(toCanonical(novusFlow, -0.2, direct)).toMatchObject({ value: -0.2, flag: "suspect" });
    expect(toCanonical(flowLs, -3, direct)).toMatchObject({ value: -3, flag: "suspect" });
    const range = { ...level, errorCodes: [{ min: 32767, max: 65535 }, 5000] };
    expect(toCanonical(range, 40000, direct).flag).toBe("error_code");
    expect(toCanonical(range, 5000, direct).flag).toBe("error_code");
    expect(toCanonical(range, 4999, direct)).toMatchObject({ value: 4999, flag: "ok" });
  });

  it("flags a unit that does not belong to the variable", () => {
    expect(toCanonical({ ...flowLs, unit: "m3" }, 10, direct)).toMatchObject({ value: null, flag: "unparseable" });
  });

  it("flags pulses without a pulse factor instead of guessing one", () => {
    const r = toCanonical({ ...tot, unit: "pulses" }, 100, direct);
    expect(r.flag).toBe("unparseable");
    expect(r.reason).toMatch(/pulseFactorL/);
  });

  it("flags a zero totalizer as a likely failed read", () => {
    expect(toCanonical(tot, "0", direct)).toMatchObject({ value: 0, flag: "suspect" });
  });

  it("rejects a non-positive scale", () => {
    expect(toCanonical({ ...flowLs, scale: -1 }, 10, direct).flag).toBe("unparseable");
  });
});

describe("deriveWaterTable", () => {
  it("direct: the reading is the depth to water", () => {
    const lv = toCanonical(level, "35,75", direct);
    expect(deriveWaterTable(lv, direct)).toEqual({ value: 35.75, flag: "ok", reason: null });
  });

  it("depth_from_install: depth = install depth − water column", () => {
    const setup: PointSetup = { levelMode: "depth_from_install", sensorInstallDepthM: 80 };
    const lv = toCanonical({ ...level, unit: "cm" }, 2_250, setup);
    expect(lv.value).toBe(22.5);
    expect(deriveWaterTable(lv, setup)).toEqual({ value: 57.5, flag: "ok", reason: null });
  });

  it("depth_from_install without install depth cannot derive", () => {
    expect(deriveWaterTable({ value: 20, flag: "ok", reason: null }, { levelMode: "depth_from_install" })).toBeNull();
  });

  it("keeps a negative depth (column above install depth) flagged suspect, not clamped", () => {
    const setup: PointSetup = { levelMode: "depth_from_install", sensorInstallDepthM: 60 };
    expect(deriveWaterTable({ value: 61.5, flag: "ok", reason: null }, setup)).toMatchObject({
      value: -1.5,
      flag: "suspect",
    });
  });

  it("propagates error codes with a null value", () => {
    const setup: PointSetup = { levelMode: "depth_from_install", sensorInstallDepthM: 60 };
    expect(deriveWaterTable({ value: null, flag: "error_code", reason: "x" }, setup)).toEqual({
      value: null,
      flag: "error_code",
      reason: "x",
    });
  });
});
