import { describe, expect, it } from "vitest";
import { processRawJob } from "@/server/processing/jobs";
import { sweepJobs } from "./sweep-raw";

describe("sweepJobs", () => {
  const now = new Date("2026-11-28T10:15:30Z");
  const minute = Math.floor(now.getTime() / 60_000);
  const ids = (jobs: ReturnType<typeof sweepJobs>) => jobs.map((j) => processRawJob.jobId(j));

  it("chunks ids and stamps the minute, so ids never meet live raw-… jobs and one minute's sweeps collapse", () => {
    const rawIds = Array.from({ length: 7 }, (_, i) => String(100 + i));
    const jobs = sweepJobs(rawIds, now, 3);
    expect(jobs.map((j) => j.rawIds)).toEqual([["100", "101", "102"], ["103", "104", "105"], ["106"]]);
    expect(ids(jobs)).toEqual([`raw-100-3-sweep-${minute}`, `raw-103-3-sweep-${minute}`, `raw-106-1-sweep-${minute}`]);
    expect(ids(jobs)).not.toContain(processRawJob.jobId({ rawIds: ["100", "101", "102"] }));
    expect(ids(sweepJobs(rawIds, new Date(now.getTime() + 20_000), 3))).toEqual(ids(jobs));
    expect(ids(sweepJobs(rawIds, new Date(now.getTime() + 60_000), 3))[0]).toBe(`raw-100-3-sweep-${minute + 1}`);
  });

  it("nothing to sweep, no jobs", () => {
    expect(sweepJobs([], now, 50)).toEqual([]);
  });
});
