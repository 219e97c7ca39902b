import { describe, expect, it } from "vitest";
import { sweepJobs } from "./sweep-raw";

describe("sweepJobs", () => {
  const now = new Date("2026-11-28T10:15:30Z");
  const minute = Math.floor(now.getTime() / 60_000);

  it("chunks ids and stamps the minute, so ids never meet live raw-… jobs and one minute's sweeps collapse", () => {
    const ids = Array.from({ length: 7 }, (_, i) => String(100 + i));
    expect(sweepJobs(ids, now, 3)).toEqual([
      { jobId: `sweep-100-3-${minute}`, rawIds: ["100", "101", "102"] },
      { jobId: `sweep-103-3-${minute}`, rawIds: ["103", "104", "105"] },
      { jobId: `sweep-106-1-${minute}`, rawIds: ["106"] },
    ]);
    expect(sweepJobs(ids, new Date(now.getTime() + 20_000), 3).map((j) => j.jobId)).toEqual(
      sweepJobs(ids, now, 3).map((j) => j.jobId),
    );
    expect(sweepJobs(ids, new Date(now.getTime() + 60_000), 3)[0]!.jobId).toBe(`sweep-100-3-${minute + 1}`);
  });

  it("nothing to sweep, no jobs", () => {
    expect(sweepJobs([], now, 50)).toEqual([]);
  });
});
