import { describe, expect, it } from "vitest";
import { historyJson, type HistoryResult } from "./history";
import { realtimeJson } from "./realtime";

/** The REST bodies built for a fast stringify must be the very JSON text of the results they stand for. */
describe("REST JSON of history and realtime", () => {
  it("history: the same text as JSON.stringify of the result, flagged readings included", () => {
    const t = (s: string) => new Date(s);
    const h: HistoryResult = {
      pointId: 7,
      from: t("2026-01-01T00:00:00Z"),
      to: t("2026-01-02T00:00:00Z"),
      bucket: "hour",
      auto: false,
      bucketTimeZone: "UTC",
      truncated: false,
      series: [
        {
          variable: "flow",
          unit: "L/s",
          rows: [
            {
              t: t("2026-01-01T00:00:00Z"),
              min: 1,
              max: 2.5,
              avg: 1.75,
              last: 2.5,
              count: 2,
              excluded: 0,
              consumptionM3: null,
              worstQuality: "ok",
              flagged: false,
            },
            {
              t: t("2026-01-01T01:00:00.123Z"),
              min: null,
              max: null,
              avg: null,
              last: null,
              count: 0,
              excluded: 1,
              consumptionM3: null,
              worstQuality: "suspect",
              flagged: true,
            },
          ],
          flagged: [
            { t: t("2026-01-01T01:00:00.123Z"), quality: "suspect", reason: "spike", rawValue: "ERR", rawUnit: null },
          ],
        },
        { variable: "level", unit: "m", rows: [] },
      ],
    };
    expect(JSON.stringify(historyJson(h))).toBe(JSON.stringify(h));
  });

  it("realtime: the same text, with and without a last reading", () => {
    const base = {
      pointId: 1,
      name: "Pozo 1",
      clientId: 2,
      state: "reporting" as const,
      ageSec: 60,
      openAnomalies: 0,
      grantedFlowLps: 40,
      expectedIntervalMin: 15,
    };
    const p = {
      ...base,
      lastTs: new Date("2026-03-01T10:00:00Z"),
      values: [
        {
          variable: "flow" as const,
          unit: "L/s",
          value: 12.5,
          ts: new Date("2026-03-01T10:00:00Z"),
          ageSec: 60,
          quality: "ok" as const,
        },
      ],
    };
    expect(JSON.stringify(realtimeJson(p))).toBe(JSON.stringify(p));
    const never = { ...base, state: "offline" as const, ageSec: null, lastTs: null, values: [] };
    expect(JSON.stringify(realtimeJson(never))).toBe(JSON.stringify(never));
  });
});
