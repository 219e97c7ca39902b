import { describe, expect, it } from "vitest";
import { pointState } from "./state";
import { monthLabelEs, previousSantiagoMonth, santiagoDay } from "./period";

const now = new Date("2026-03-10T12:00:00Z");
const ago = (min: number) => new Date(now.getTime() - min * 60_000);

describe("pointState", () => {
  it("classifies by age of the newest reading (hourly point)", () => {
    expect(pointState({ lastTs: ago(30), now, expectedIntervalMin: 60, openAnomalies: 0 })).toEqual({
      state: "reporting",
      ageSec: 1800,
    });
    expect(pointState({ lastTs: ago(121), now, expectedIntervalMin: 60, openAnomalies: 0 }).state).toBe("delayed");
    expect(pointState({ lastTs: ago(361), now, expectedIntervalMin: 60, openAnomalies: 0 }).state).toBe("offline");
    expect(pointState({ lastTs: null, now, expectedIntervalMin: 60, openAnomalies: 0 })).toEqual({
      state: "offline",
      ageSec: null,
    });
  });
  it("raises alarm for open anomalies or flow above the granted flow, but offline wins", () => {
    expect(pointState({ lastTs: ago(5), now, expectedIntervalMin: 1, openAnomalies: 1 }).state).toBe("alarm");
    expect(
      pointState({ lastTs: ago(5), now, expectedIntervalMin: 1, openAnomalies: 0, flowLps: 41, grantedFlowLps: 40 })
        .state,
    ).toBe("alarm");
    expect(pointState({ lastTs: ago(500), now, expectedIntervalMin: 60, openAnomalies: 3 }).state).toBe("offline");
  });
});

describe("period helpers", () => {
  it("uses America/Santiago days and months", () => {
    expect(santiagoDay(new Date("2026-03-01T02:00:00Z"))).toBe("2026-02-28");
    expect(previousSantiagoMonth(new Date("2026-01-01T02:00:00Z"))).toBe("2025-11");
    expect(previousSantiagoMonth(new Date("2026-01-01T12:00:00Z"))).toBe("2025-12");
    expect(monthLabelEs("2026-10")).toBe("octubre de 2026");
  });
});
