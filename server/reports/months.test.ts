import { describe, expect, it } from "vitest";
import { defaultReportMonth } from "./months";

describe("defaultReportMonth", () => {
  const now = new Date("2026-12-03T15:00:00Z");
  it("last month when it has data, else the newest finished month with data", () => {
    expect(defaultReportMonth(["2026-12", "2026-11", "2026-10"], now)).toBe("2026-11");
    expect(defaultReportMonth(["2026-12", "2026-08", "2026-09"], now)).toBe("2026-09");
  });
  it("this month when only it has data; last month when nothing has", () => {
    expect(defaultReportMonth(["2026-12"], now)).toBe("2026-12");
    expect(defaultReportMonth([], now)).toBe("2026-11");
  });
});
