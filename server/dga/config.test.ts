import { describe, expect, it } from "vitest";
import { parseServerEnv } from "@/server/env";

const base = { AUTH_SECRET: "x".repeat(40), ENCRYPTION_KEY: "0".repeat(64) };

describe("DGA settings from the environment", () => {
  it("defaults to the documented timings", () => {
    const e = parseServerEnv(base);
    expect([
      e.DGA_REQUEST_TIMEOUT_MS,
      e.DGA_BACKLOG_SPACING_MIN,
      e.DGA_HORIZON_HOURS,
      e.DGA_LEASE_MS,
      e.DGA_STALE_AFTER_HOURS,
      e.DGA_WRITE_OFF_AFTER_DAYS,
    ]).toEqual([15_000, 5, 2, 120_000, 48, 30]);
    expect([e.DGA_CATCHUP_MAX_SLOTS_PER_POINT, e.DGA_CATCHUP_MAX_SLOTS_PER_CYCLE]).toEqual([48, 20_000]);
  });

  it("takes overrides and refuses a backlog spacing under MEE's 5 minutes", () => {
    expect(parseServerEnv({ ...base, DGA_STALE_AFTER_HOURS: "24", DGA_BACKLOG_SPACING_MIN: "10" })).toMatchObject({
      DGA_STALE_AFTER_HOURS: 24,
      DGA_BACKLOG_SPACING_MIN: 10,
    });
    expect(() => parseServerEnv({ ...base, DGA_BACKLOG_SPACING_MIN: "3" })).toThrow(/DGA_BACKLOG_SPACING_MIN/);
    expect(parseServerEnv({ ...base, DGA_CATCHUP_MAX_SLOTS_PER_POINT: "168" }).DGA_CATCHUP_MAX_SLOTS_PER_POINT).toBe(
      168,
    );
    expect(() => parseServerEnv({ ...base, DGA_CATCHUP_MAX_SLOTS_PER_CYCLE: "0" })).toThrow(
      /DGA_CATCHUP_MAX_SLOTS_PER_CYCLE/,
    );
  });
});
