import { describe, expect, it } from "vitest";
import { collectJobs } from "./jobs";

describe("collect job ids", () => {
  const job = collectJobs.tago;
  const at = "2026-11-28T10:15:00.000Z";

  it("derive from the payload: poll slot, sweep slot, manual instant, backfill window", () => {
    expect(job.jobId({ bindingId: 7, reason: "schedule", at })).toBe("collect-7-2026-11-28T10-15-00.000Z");
    expect(
      job.jobId({ bindingId: 7, reason: "schedule", at, from: "2026-11-27T10:00:00Z", to: "2026-11-28T10:00:00Z" }),
    ).toBe("collect-7-sweep-2026-11-28T10-15-00.000Z");
    expect(job.jobId({ bindingId: 7, reason: "manual", at })).toBe("collect-7-manual-2026-11-28T10-15-00.000Z");
    expect(
      job.jobId({ bindingId: 7, reason: "backfill", from: "2026-01-01T00:00:00Z", to: "2026-01-02T00:00:00Z" }),
    ).toBe("collect-7-backfill-2026-01-01T00-00-00.000Z-2026-01-02T00-00-00.000Z");
  });

  it("never contain ':' (BullMQ refuses it) and refuse a schedule or manual job without its instant", () => {
    expect(job.jobId({ bindingId: 1, reason: "manual", at })).not.toContain(":");
    expect(() => job.jobId({ bindingId: 1, reason: "schedule" })).toThrow(/has no "at"/);
  });
});
