import { describe, expect, it } from "vitest";
import { planBackfill } from "./backfill";

const now = new Date("2026-12-03T12:00:00Z");
const day = 86_400_000;
const limits = { retentionMs: 30 * day, lagMs: 5 * 60_000 };
const at = (d: number) => new Date(now.getTime() - d * day);

describe("planBackfill", () => {
  it("keeps a window inside retention, ending at now − lag at the latest", () => {
    expect(planBackfill({ from: at(10), to: now }, limits, now)).toEqual({
      kind: "ok",
      from: at(10),
      to: new Date(now.getTime() - 5 * 60_000),
    });
  });
  it("refuses a window wholly beyond retention instead of reading nothing", () => {
    const p = planBackfill({ from: at(90), to: at(60) }, limits, now);
    expect(p).toMatchObject({ kind: "refused", reason: expect.stringMatching(/retention \(30 d/) as string });
  });
  it("clips a window that straddles retention and says so", () => {
    const p = planBackfill({ from: at(45), to: at(20) }, limits, now);
    expect(p).toEqual({
      kind: "clipped",
      from: at(30),
      to: at(20),
      requestedFrom: at(45),
      reason: expect.stringMatching(/clipped/) as string,
    });
  });
  it("honours a TTN Sandbox retention of 24 h", () => {
    expect(planBackfill({ from: at(3), to: at(2) }, { retentionMs: day, lagMs: 0 }, now).kind).toBe("refused");
  });
});
