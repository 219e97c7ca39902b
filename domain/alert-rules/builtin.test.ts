import { describe, expect, it } from "vitest";
import { DEFAULT_RULE_OPTIONS, type RuleRow as AssessedRow } from "@/domain/anomalies/rules";
import {
  BUILTIN_RULES,
  BUILTIN_TYPES,
  BuiltinOverrideSchema,
  evaluateBuiltins,
  previewBuiltin,
  resolveBuiltins,
} from "./builtin";

const T0 = Date.parse("2026-03-10T10:00:00Z");
const row = (min: number, value: number | null, isNew = true): AssessedRow => ({
  ts: new Date(T0 + min * 60_000),
  value,
  rawValue: String(value),
  quality: "ok",
  reason: null,
  isNew,
});
const base = { clientId: 1, pointId: 2, grantedFlowLps: 10 };

describe("built-in rules as editable defaults", () => {
  it("every processor built-in is listed with its parameters", () => {
    expect(BUILTIN_RULES.map((r) => r.type)).toEqual([...BUILTIN_TYPES]);
    expect(BUILTIN_RULES.find((r) => r.type === "level_drop")!.params.map((p) => p.key)).toEqual([
      "levelDropMarginM",
      "levelDropLookbackH",
    ]);
  });

  it("validates parameters against their rule and range", () => {
    expect(
      BuiltinOverrideSchema.safeParse({ type: "level_drop", enabled: true, params: { levelDropMarginM: 3 } }).success,
    ).toBe(true);
    expect(
      BuiltinOverrideSchema.safeParse({ type: "spike", enabled: true, params: { levelDropMarginM: 3 } }).success,
    ).toBe(false);
    expect(
      BuiltinOverrideSchema.safeParse({ type: "level_drop", enabled: true, params: { levelDropMarginM: 0 } }).success,
    ).toBe(false);
    expect(
      BuiltinOverrideSchema.safeParse({ type: "error_code", enabled: true, params: { errorRunLength: 2.5 } }).success,
    ).toBe(false);
  });

  it("the most specific override wins per type: point over group over client", () => {
    const r = resolveBuiltins([
      { scope: "client", type: "flow_above_granted", enabled: true, params: { grantedFlowTolerance: 0.5 } },
      { scope: "point", type: "flow_above_granted", enabled: true, params: { grantedFlowTolerance: 0.05 } },
      { scope: "group", type: "flow_above_granted", enabled: false, params: {} },
      { scope: "group", type: "spike", enabled: false, params: {} },
      { scope: "client", type: "spike", enabled: true, params: {} },
    ]);
    expect(r.options.grantedFlowTolerance).toBe(0.05);
    expect(r.options.levelDropMarginM).toBe(DEFAULT_RULE_OPTIONS.levelDropMarginM);
    expect([...r.disabled]).toEqual(["spike"]);
    expect(r.source).toEqual({ flow_above_granted: "point", spike: "group" });
  });

  it("a tuned tolerance changes what fires; a switched-off rule stays quiet", () => {
    const input = { ...base, variable: "flow" as const, rows: [row(0, 5), row(1, 11.5)] };
    expect(evaluateBuiltins(input, resolveBuiltins([]))).toEqual([]); // 11,5 is within the default 20 %
    const strict = resolveBuiltins([
      { scope: "point", type: "flow_above_granted", enabled: true, params: { grantedFlowTolerance: 0.1 } },
    ]);
    expect(evaluateBuiltins(input, strict).map((c) => c.type)).toEqual(["flow_above_granted"]);
    const neg = { ...base, variable: "flow" as const, rows: [row(0, -1)] };
    expect(evaluateBuiltins(neg, resolveBuiltins([])).map((c) => c.type)).toEqual(["negative_flow"]);
    const off = resolveBuiltins([{ scope: "client", type: "negative_flow", enabled: false, params: {} }]);
    expect(evaluateBuiltins(neg, off)).toEqual([]);
  });

  it("previews a built-in hour by hour: a larger margin silences a marginal drop", () => {
    // Water table at 30 m with the pump stopped for 10 h; at hour 8 it sits 2 m deeper for 30 min.
    const rows = Array.from({ length: 600 / 5 }, (_, i) => {
      const m = i * 5;
      return { ...row(m, m >= 480 && m < 510 ? 32 : 30), isNew: undefined };
    }).map(({ isNew: _, ...r }) => r);
    const flow = rows.map((r) => ({ ...r, value: 0 }));
    const input = { ...base, variable: "water_table" as const, rows, flow };
    const dflt = previewBuiltin("level_drop", [input], resolveBuiltins([]), 30);
    expect(dflt.episodes).toHaveLength(1);
    expect(dflt.sentence).toMatch(/^Esta regla habría disparado 1 vez en los últimos 30 días/);
    const loose = resolveBuiltins([
      { scope: "point", type: "level_drop", enabled: true, params: { levelDropMarginM: 3 } },
    ]);
    expect(previewBuiltin("level_drop", [input], loose, 30).episodes).toHaveLength(0);
    const off = resolveBuiltins([{ scope: "point", type: "level_drop", enabled: false, params: {} }]);
    expect(previewBuiltin("level_drop", [input], off, 30)).toMatchObject({
      hours: 0,
      sentence: "Regla desactivada: no habría disparado.",
    });
  });
});
