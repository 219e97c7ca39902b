import { describe, expect, it } from "vitest";
import { AssessConfigSchema, assessSeries, type SeriesRow } from "@/domain/measurements/assess";
import { median } from "@/domain/stats";
import type { QualityName } from "@/domain/measurements/quality";

const T0 = Date.parse("2026-11-01T00:00:00Z");
const STEP = 15 * 60_000;
const row = (k: number, value: number | null, extra: Partial<SeriesRow> = {}): SeriesRow => ({
  ts: new Date(T0 + k * STEP),
  value,
  rawValue: value === null ? null : String(value),
  quality: "ok",
  reason: null,
  ...extra,
});
const series = (values: (number | null)[]) => values.map((v, k) => row(k, v));
const qualities = (rows: { quality: QualityName }[]) => rows.map((r) => r.quality);
/** A totalizer rising 9 m3 per 15 min (10 L/s). */
const rising = (n: number, start = 512_000, step = 9) => Array.from({ length: n }, (_, k) => start + k * step);

describe("canonicalisation", () => {
  it("sorts by ts and drops exact repeats", () => {
    const rows = series([10, 11, 12]);
    const a = assessSeries([rows[2]!, rows[0]!, rows[1]!, rows[0]!], "flow");
    expect(a.rows.map((r) => r.value)).toEqual([10, 11, 12]);
    expect(a.conflicts).toEqual([]);
  });

  it("treats same value with a different raw spelling as a repeat, not a conflict", () => {
    const a = assessSeries([row(0, 12.5, { rawValue: "12,5" }), row(0, 12.5, { rawValue: "12.5" })], "flow");
    expect(a.rows).toHaveLength(1);
    expect(a.rows[0]!.rawValue).toBe("12,5");
    expect(a.conflicts).toEqual([]);
  });

  it("same ts, different values: smallest raw string wins and the others are conflicts", () => {
    const a = assessSeries([row(0, 45.1), row(0, 38.2), row(0, 45.1), row(1, 40)], "flow");
    expect(a.rows.map((r) => [r.value, r.quality])).toEqual([
      [38.2, "duplicate_conflict"],
      [40, "ok"],
    ]);
    expect(a.conflicts.map((r) => r.value)).toEqual([45.1]);
  });

  it("a real value beats an error code at the same timestamp", () => {
    const err = row(0, null, { rawValue: "-9999", quality: "error_code", reason: "logger error code -9999" });
    const a = assessSeries([err, row(0, 512_000)], "totalizer");
    expect(a.rows[0]!.value).toBe(512_000);
    expect(a.conflicts).toEqual([err]);
  });

  it("throws on an invalid timestamp", () => {
    expect(() => assessSeries([{ ...row(0, 1), ts: new Date(NaN) }], "flow")).toThrow(RangeError);
  });
});

describe("range and granted flow", () => {
  it("flags values outside the configured range", () => {
    const a = assessSeries(series([30, 31, 1200, 32]), "flow");
    expect(qualities(a.rows)).toEqual(["ok", "ok", "out_of_range", "ok"]);
    const b = assessSeries(series([30, 31, 95, 32]), "flow", { maxValue: 80 });
    expect(b.rows[2]!.quality).toBe("out_of_range");
  });

  it("flags flow above the granted flow plus tolerance as suspect", () => {
    const a = assessSeries(series([50, 59.9, 60.1, 55]), "flow", { grantedFlowLps: 50, grantedFlowTolerance: 0.2 });
    expect(qualities(a.rows)).toEqual(["ok", "ok", "suspect", "ok"]);
    expect(a.rows[2]!.reason).toBe("sobre caudal otorgado");
  });

  it("leaves intrinsically flagged rows untouched by the rules", () => {
    const neg = row(1, -3, { quality: "suspect", reason: "negative flow" });
    const a = assessSeries([row(0, 40), neg, row(2, 41)], "flow");
    expect(a.rows[1]).toMatchObject({ quality: "suspect", reason: "negative flow" });
  });
});

describe("spike", () => {
  it("flags a single outlier against the neighbour median", () => {
    const a = assessSeries(series([42, 41.5, 42.3, 78, 41.8, 42.1, 42]), "flow");
    expect(qualities(a.rows)).toEqual(["ok", "ok", "ok", "spike", "ok", "ok", "ok"]);
  });

  it("does not flag a pump start (step change)", () => {
    const a = assessSeries(series([0, 0, 0, 0, 45, 45.2, 44.9, 45.1]), "flow");
    expect(qualities(a.rows).every((q) => q === "ok")).toBe(true);
  });

  it("respects the absolute floor", () => {
    const a = assessSeries(series([42, 42, 42, 48, 42, 42, 42]), "flow");
    expect(a.rows[3]!.quality).toBe("ok");
    const b = assessSeries(series([42, 42, 42, 48, 42, 42, 42]), "flow", { spikeFloor: 5 });
    expect(b.rows[3]!.quality).toBe("spike");
  });

  it("flags level spikes", () => {
    const a = assessSeries(series([35.2, 35.3, 35.1, 12.0, 35.2, 35.4]), "level");
    expect(a.rows[3]!.quality).toBe("spike");
  });
});

describe("totalizer reset and glitches", () => {
  it("a single drop is a glitch (suspect), the series continues", () => {
    const a = assessSeries(series([512_000, 512_009, 3_000, 512_027, 512_036]), "totalizer");
    expect(qualities(a.rows)).toEqual(["ok", "ok", "suspect", "ok", "ok"]);
  });

  it("a drop confirmed by resetConfirmSamples monotonic readings is a reset", () => {
    const a = assessSeries(series([...rising(3), ...rising(10, 5, 9)]), "totalizer");
    expect(qualities(a.rows)).toEqual(["ok", "ok", "ok", "reset", ...Array<QualityName>(9).fill("ok")]);
    expect(a.rows[3]!.reason).toMatch(/reset confirmed/);
  });

  it("fewer than resetConfirmSamples readings below is not yet a reset", () => {
    const a = assessSeries(series([...rising(3), ...rising(9, 5, 9)]), "totalizer");
    expect(
      qualities(a.rows)
        .slice(3)
        .every((q) => q === "suspect"),
    ).toBe(true);
  });

  it("honours a configured resetConfirmSamples", () => {
    const a = assessSeries(series([...rising(3), ...rising(3, 5, 9)]), "totalizer", { resetConfirmSamples: 3 });
    expect(qualities(a.rows)).toEqual(["ok", "ok", "ok", "reset", "ok", "ok"]);
  });

  it("a non-monotonic run below the previous value is not a reset", () => {
    const a = assessSeries(series([...rising(3), 5, 14, 10, 23, 32, 41, 50, 59, 68, 77]), "totalizer", {
      maxRateLps: null,
    });
    expect(a.rows[3]!.quality).toBe("suspect");
    expect(qualities(a.rows)).not.toContain("reset");
  });

  it("an upward one-sample excursion is a spike, not the start of a reset", () => {
    const a = assessSeries(series([...rising(3), 520_000, ...rising(12, 512_027, 9)]), "totalizer", {
      maxRateLps: null,
    });
    expect(qualities(a.rows)).toEqual(["ok", "ok", "ok", "spike", ...Array<QualityName>(12).fill("ok")]);
  });

  it("an implausible upward jump is a spike", () => {
    const a = assessSeries(series([512_000, 512_009, 900_000, 512_027, 512_036]), "totalizer");
    expect(qualities(a.rows)).toEqual(["ok", "ok", "spike", "ok", "ok"]);
  });

  it("a sustained implausible jump (meter swap) is confirmed as a reset", () => {
    const a = assessSeries(series([...rising(2), ...rising(10, 880_000, 9)]), "totalizer");
    expect(a.rows[2]!.quality).toBe("reset");
  });
});

describe("rollover", () => {
  it("counter near rolloverM3 then small value is a rollover", () => {
    const a = assessSeries(series([999_982, 999_991, 4, 13, 22]), "totalizer", { rolloverM3: 1_000_000 });
    expect(qualities(a.rows)).toEqual(["ok", "ok", "rollover", "ok", "ok"]);
  });

  it("without rolloverM3 the same drop is an unconfirmed glitch", () => {
    const a = assessSeries(series([999_982, 999_991, 4, 13, 22]), "totalizer");
    expect(a.rows[2]!.quality).toBe("suspect");
  });

  it("a drop far from the maximum is not a rollover", () => {
    const a = assessSeries(series([512_000, 512_009, 4, 512_027]), "totalizer", { rolloverM3: 1_000_000 });
    expect(a.rows[2]!.quality).toBe("suspect");
  });
});

describe("frozen totalizer", () => {
  const flow = (values: number[]) => values.map((v, k) => row(k, v));

  it("flags an unchanged totalizer while flow > 0", () => {
    const tot = series([512_000, 512_009, 512_009, 512_009, 512_009, 512_045]);
    const a = assessSeries(tot, "totalizer", {}, { flow: flow([10, 10, 10, 10, 10, 10]) });
    expect(qualities(a.rows)).toEqual(["ok", "ok", "frozen", "frozen", "frozen", "ok"]);
  });

  it("does not flag an idle pump", () => {
    const tot = series([512_000, 512_009, 512_009, 512_009, 512_009, 512_009]);
    const a = assessSeries(tot, "totalizer", {}, { flow: flow([10, 0, 0, 0, 0, 0]) });
    expect(qualities(a.rows).every((q) => q === "ok")).toBe(true);
  });

  it("needs frozenSamples readings", () => {
    const tot = series([512_000, 512_009, 512_009, 512_009, 512_036]);
    const a = assessSeries(tot, "totalizer", {}, { flow: flow([10, 10, 10, 10, 10]) });
    expect(qualities(a.rows)).not.toContain("frozen");
  });

  it("matches flow readings within the tolerance, not only on exact ts", () => {
    const tot = series([512_000, 512_009, 512_009, 512_009, 512_009]);
    const shifted = [0, 1, 2, 3, 4].map((k) => ({ ...row(k, 12), ts: new Date(T0 + k * STEP + 20_000) }));
    expect(qualities(assessSeries(tot, "totalizer", {}, { flow: shifted }).rows)).toContain("frozen");
    expect(
      qualities(assessSeries(tot, "totalizer", { flowMatchToleranceMs: 10_000 }, { flow: shifted }).rows),
    ).not.toContain("frozen");
  });

  it("is not checked without a flow series", () => {
    const tot = series([512_000, 512_009, 512_009, 512_009, 512_009]);
    expect(qualities(assessSeries(tot, "totalizer").rows)).not.toContain("frozen");
  });
});

describe("gaps", () => {
  it("reports intervals longer than gapFactor × the median interval", () => {
    const rows = [0, 1, 2, 3, 10, 11].map((k) => row(k, 40));
    const a = assessSeries(rows, "flow");
    expect(a.expectedIntervalMs).toBe(STEP);
    expect(a.gaps).toEqual([{ from: new Date(T0 + 3 * STEP), to: new Date(T0 + 10 * STEP), durationMs: 7 * STEP }]);
  });

  it("uses a configured expected interval", () => {
    const rows = [0, 2, 4].map((k) => row(k, 40));
    expect(assessSeries(rows, "flow").gaps).toEqual([]);
    expect(assessSeries(rows, "flow", { expectedIntervalMs: 5 * 60_000 }).gaps).toHaveLength(2);
  });

  it("ignores future rows when looking for gaps", () => {
    const rows = [row(0, 40), row(1, 40), row(2, 40), row(500, 40, { quality: "future" })];
    expect(assessSeries(rows, "flow").gaps).toEqual([]);
  });
});

describe("config and helpers", () => {
  it("validates stored config JSON", () => {
    expect(AssessConfigSchema.parse({ resetConfirmSamples: 5, rolloverM3: 1e6 })).toEqual({
      resetConfirmSamples: 5,
      rolloverM3: 1e6,
    });
    expect(AssessConfigSchema.safeParse({ resetConfirmSamples: 0 }).success).toBe(false);
    expect(AssessConfigSchema.safeParse({ gapFactor: 1 }).success).toBe(false);
  });

  it("median handles even and odd lengths", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});
