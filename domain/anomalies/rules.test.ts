import { describe, expect, it } from "vitest";
import { evaluateRules, type RuleRow as AssessedRow } from "./rules";

const T0 = Date.parse("2026-03-10T10:00:00Z");
const row = (min: number, value: number | null, quality: AssessedRow["quality"] = "ok", isNew = true): AssessedRow => ({
  ts: new Date(T0 + min * 60_000),
  value,
  rawValue: String(value),
  quality,
  reason: null,
  isNew,
});
const base = { clientId: 1, pointId: 2, grantedFlowLps: 10 };

describe("evaluateRules", () => {
  it("raises flow_above_granted once per evaluation with the occurrence count", () => {
    const out = evaluateRules({ ...base, variable: "flow", rows: [row(0, 5), row(1, 13), row(2, 16)] });
    expect(out.map((c) => [c.type, c.count, c.severity])).toEqual([["flow_above_granted", 2, "critical"]]);
  });
  it("stays quiet when only old rows match (reprocessing)", () => {
    expect(evaluateRules({ ...base, variable: "flow", rows: [row(0, 50, "ok", false), row(1, 5)] })).toEqual([]);
  });
  it("needs a run of error codes touching new data", () => {
    const rows = [row(0, null, "error_code", false), row(1, null, "error_code", false), row(2, null, "error_code")];
    expect(evaluateRules({ ...base, variable: "level", rows }).map((c) => c.type)).toEqual(["error_code"]);
    expect(evaluateRules({ ...base, variable: "level", rows: rows.slice(1) })).toEqual([]);
  });
  it("flags a water table deeper than anything the pump reached, with the pump stopped", () => {
    const cycle = [
      row(0, 30, "ok", false),
      row(10, 36, "ok", false),
      row(20, 37, "ok", false),
      row(30, 33, "ok", false),
    ];
    const flow = [0, 10, 20, 30, 90].map((m) => ({ ...row(m, m === 10 || m === 20 ? 12 : 0), isNew: false }));
    const out = evaluateRules({ ...base, variable: "water_table", rows: [...cycle, row(90, 52)], flow });
    expect(out.map((c) => c.type)).toEqual(["level_drop"]);
  });
  it("stays quiet on drawdown while pumping and on recovery after a stop", () => {
    const rows = [
      row(0, 30, "ok", false),
      row(10, 31, "ok", false),
      row(20, 30.5, "ok", false),
      row(30, 44),
      row(40, 45),
      row(50, 38),
    ];
    const flow = [0, 10, 20, 30, 40, 50].map((m) => row(m, m === 30 || m === 40 ? 12 : 0));
    expect(evaluateRules({ ...base, variable: "water_table", rows, flow })).toEqual([]);
  });
  it("writes its reasons in Spanish with es-CL numbers", () => {
    const flow = evaluateRules({ ...base, variable: "flow", rows: [row(0, -0.28), row(1, 1234.5)] });
    expect(flow.map((c) => c.reason)).toEqual([
      "Caudal 1.234,5 L/s sobre el otorgado 10 L/s",
      "Caudal negativo (-0,28 L/s)",
    ]);
    const spikes = evaluateRules({ ...base, variable: "water_table", rows: [row(0, 5, "spike"), row(1, 9, "spike")] });
    expect(spikes.map((c) => c.reason)).toEqual(["2 picos en nivel freático"]);
  });
});
