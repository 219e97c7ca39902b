import { describe, expect, it } from "vitest";
import { assessSeries, type SeriesRow } from "@/domain/measurements/assess";
import {
  bucketConsumption,
  complianceOfRights,
  consumptionDeltas,
  totalConsumptionM3,
  type ConsumptionDelta,
} from "@/domain/measurements/consumption";
import { offsetBucketStart, utcBucketStart } from "@/domain/measurements/aggregate";

const T0 = Date.parse("2026-11-01T00:00:00Z");
const HOUR = 3_600_000;
const row = (hours: number, value: number | null, extra: Partial<SeriesRow> = {}): SeriesRow => ({
  ts: new Date(T0 + hours * HOUR),
  value,
  rawValue: value === null ? null : String(value),
  quality: "ok",
  reason: null,
  ...extra,
});
const hourly = (values: number[]) => values.map((v, k) => row(k, v));
const consumption = (rows: SeriesRow[], cfg = {}) => consumptionDeltas(assessSeries(rows, "totalizer", cfg), cfg);

describe("consumptionDeltas", () => {
  it("gives per-interval deltas of a clean series", () => {
    const d = consumption(hourly([512_000, 512_036, 512_090]));
    expect(d).toEqual([
      { from: new Date(T0), to: new Date(T0 + HOUR), volumeM3: 36, kind: "normal" },
      { from: new Date(T0 + HOUR), to: new Date(T0 + 2 * HOUR), volumeM3: 54, kind: "normal" },
    ]);
  });

  it("is the same with late, out-of-order and duplicated data", () => {
    const rows = hourly([512_000, 512_036, 512_090, 512_130]);
    const shuffled = [rows[3]!, rows[1]!, rows[0]!, rows[1]!, rows[2]!, rows[3]!];
    expect(consumption(shuffled)).toEqual(consumption(rows));
  });

  it("bridges a glitch: its volume is spread over the bridged interval", () => {
    const d = consumption(hourly([512_000, 512_036, 3_000, 512_108]));
    expect(d.map((x) => x.volumeM3)).toEqual([36, 72]);
    expect(d[1]!.to.getTime() - d[1]!.from.getTime()).toBe(2 * HOUR);
    expect(totalConsumptionM3(d)).toBe(108);
  });

  it("bridges a frozen stretch instead of dumping its volume on the last hour", () => {
    const rows = hourly([512_000, 512_036, 512_036, 512_036, 512_036, 512_180]);
    const flow = rows.map((r) => ({ ...r, value: 10 }));
    const d = consumptionDeltas(assessSeries(rows, "totalizer", {}, { flow }));
    expect(d.map((x) => x.volumeM3)).toEqual([36, 144]);
  });

  it("counts a confirmed reset as restarting from zero", () => {
    const d = consumption(hourly([812_300, 812_336, 20, 56, 92, 128, 164, 200, 236, 272, 308, 344]));
    expect(d[1]).toMatchObject({ kind: "reset", volumeM3: 20 });
    expect(totalConsumptionM3(d)).toBe(36 + 344);
    expect(d.every((x) => x.volumeM3 >= 0)).toBe(true);
  });

  it("counts 0 across a reset whose new value is implausible for the interval", () => {
    const d = consumption(
      hourly([
        812_300, 812_336, 150_000, 150_036, 150_072, 150_108, 150_144, 150_180, 150_216, 150_252, 150_288, 150_324,
      ]),
    );
    expect(d[1]).toMatchObject({ kind: "reset", volumeM3: 0 });
    expect(totalConsumptionM3(d)).toBe(36 + 324);
  });

  it("adds across a rollover", () => {
    const cfg = { rolloverM3: 1_000_000 };
    const d = consumption(hourly([999_950, 999_986, 22, 58]), cfg);
    expect(d.map((x) => [x.kind, x.volumeM3])).toEqual([
      ["normal", 36],
      ["rollover", 36],
      ["normal", 36],
    ]);
  });

  it("excludes error codes and gives nothing for a single reading", () => {
    const rows = [row(0, 512_000), row(1, null, { quality: "error_code", rawValue: "-1" }), row(2, 512_072)];
    expect(consumption(rows).map((x) => x.volumeM3)).toEqual([72]);
    expect(consumption([row(0, 512_000)])).toEqual([]);
  });
});

describe("bucketConsumption", () => {
  const d = (fromH: number, toH: number, volumeM3: number): ConsumptionDelta => ({
    from: new Date(T0 + fromH * HOUR),
    to: new Date(T0 + toH * HOUR),
    volumeM3,
    kind: "normal",
  });

  it("sums deltas inside one bucket", () => {
    expect(bucketConsumption([d(0, 1, 36), d(1, 2, 40)], utcBucketStart("day"))).toEqual([
      { bucketStart: new Date(T0), volumeM3: 76 },
    ]);
  });

  it("apportions a delta spanning buckets linearly by time", () => {
    const b = bucketConsumption([d(22, 26, 100)], utcBucketStart("day"));
    expect(b).toEqual([
      { bucketStart: new Date(T0), volumeM3: 50 },
      { bucketStart: new Date(T0 + 24 * HOUR), volumeM3: 50 },
    ]);
  });

  it("a reading exactly on the boundary closes the earlier bucket", () => {
    const b = bucketConsumption([d(23, 24, 36)], utcBucketStart("day"));
    expect(b).toEqual([{ bucketStart: new Date(T0), volumeM3: 36 }]);
  });

  it("buckets by local day at a fixed offset (DGA UTC-4)", () => {
    const b = bucketConsumption([d(3, 5, 20)], offsetBucketStart("day", -240));
    expect(b.map((x) => [x.bucketStart.toISOString(), x.volumeM3])).toEqual([
      ["2026-10-31T04:00:00.000Z", 10],
      ["2026-11-01T04:00:00.000Z", 10],
    ]);
  });

  it("splits across months", () => {
    const b = bucketConsumption([d(-12, 12, 240)], utcBucketStart("month"));
    expect(b.map((x) => [x.bucketStart.toISOString(), x.volumeM3])).toEqual([
      ["2026-10-01T00:00:00.000Z", 120],
      ["2026-11-01T00:00:00.000Z", 120],
    ]);
  });

  it("rejects a bucketStart that returns a later instant", () => {
    expect(() => bucketConsumption([d(0, 1, 1)], (ts) => new Date(ts.getTime() + 1))).toThrow(RangeError);
  });
});

describe("long silent gaps", () => {
  const hourBucket = utcBucketStart("hour");
  it("books a gap longer than 7 days with no reading inside to the hour of the later reading", () => {
    const rows = [row(0, 1_000), row(24 * 30, 4_600)];
    const d = consumption(rows);
    expect(d).toEqual([
      { from: new Date(T0), to: new Date(T0 + 24 * 30 * HOUR), volumeM3: 3_600, kind: "normal", bookedAtEnd: true },
    ]);
    expect(bucketConsumption(d, hourBucket)).toEqual([
      { bucketStart: new Date(T0 + (24 * 30 - 1) * HOUR), volumeM3: 3_600 },
    ]);
  });

  it("still spreads a gap of up to 7 days, and a long one that holds flagged readings", () => {
    expect(consumption([row(0, 1_000), row(24 * 7, 1_168)])[0]!.bookedAtEnd).toBeUndefined();
    expect(bucketConsumption(consumption([row(0, 1_000), row(24 * 7, 1_168)]), hourBucket)).toHaveLength(24 * 7);
    const bridged = consumption([
      row(0, 1_000),
      row(24 * 10, null, { quality: "error_code", rawValue: "-1" }),
      row(24 * 20, 1_480),
    ]);
    expect(bridged).toHaveLength(1);
    expect(bridged[0]!.bookedAtEnd).toBeUndefined();
  });
});

describe("complianceOfRights", () => {
  it("computes average flow and percentages of the right", () => {
    const c = complianceOfRights({ volumeM3: 3_600, periodHours: 24, grantedFlowLps: 50, annualVolumeM3: 1_000_000 });
    expect(c.avgFlowLps).toBeCloseTo(41.6667, 4);
    expect(c.pctOfGrantedFlow).toBeCloseTo(83.3333, 4);
    expect(c.pctOfAnnualVolume).toBeCloseTo(0.36, 10);
  });

  it("returns null percentages without a right and null flow for an empty period", () => {
    expect(complianceOfRights({ volumeM3: 100, periodHours: 0 })).toEqual({
      avgFlowLps: null,
      pctOfGrantedFlow: null,
      pctOfAnnualVolume: null,
    });
  });
});
