import { describe, expect, it } from "vitest";
import { AppError } from "@/domain/errors";
import { DEFAULT_STANDARDS, resolveStandards, StandardRuleSchema } from "./standards";

describe("standards configuration", () => {
  it("has defaults for every standard that pass their own schema", () => {
    for (const rule of Object.values(DEFAULT_STANDARDS)) expect(StandardRuleSchema.parse(rule)).toEqual(rule);
    expect(DEFAULT_STANDARDS.mayor.period).toBe("hour");
    expect(DEFAULT_STANDARDS.muy_pequenos.months).toEqual([1, 7]);
    expect(
      Object.entries(DEFAULT_STANDARDS)
        .filter(([, r]) => r.allowEmptyLevel)
        .map(([s]) => s),
    ).toEqual(["muy_pequenos"]);
  });

  it("merges a partial override and leaves the defaults untouched", () => {
    const cfg = resolveStandards({
      medio: { flowMode: "average_from_totalizer" },
      muy_pequenos: { months: [12, 1, 12] },
    });
    expect(cfg.medio).toEqual({ ...DEFAULT_STANDARDS.medio, flowMode: "average_from_totalizer" });
    expect(cfg.muy_pequenos.months).toEqual([1, 12]);
    expect(cfg.mayor).toEqual(DEFAULT_STANDARDS.mayor);
    expect(DEFAULT_STANDARDS.medio.flowMode).toBe("instant");
    expect(resolveStandards(undefined)).toEqual(DEFAULT_STANDARDS);
  });

  it.each([
    [{ mayor: { period: "minute" } }],
    [{ menor: { months: [13] } }],
    [{ menor: { months: [] } }],
    [{ medio: { maxLagDays: -1 } }],
    [{ medio: { unknownField: true } }],
    [{ gigante: {} }],
  ])("rejects %j", (override) => {
    expect(() => resolveStandards(override)).toThrow(AppError);
  });
});
