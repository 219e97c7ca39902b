import { describe, expect, it, vi } from "vitest";

const calls: string[][] = [];
vi.mock("./pipeline", () => ({
  processRawBatch: vi.fn(async (_deps: unknown, ids: readonly string[]) => {
    calls.push([...ids]);
    await new Promise((r) => setTimeout(r, 5));
    if (ids.includes("bad")) throw new Error("bad payload");
    return {
      raws: ids.length,
      skipped: 0,
      rejected: 0,
      rows: ids.length * 10,
      inserted: 0,
      conflicts: 0,
      flagUpdates: 0,
      anomalies: 0,
    };
  }),
}));
const { RawBatcher } = await import("./coalesce");

describe("RawBatcher", () => {
  it("commits waiting jobs together and isolates a failing one", async () => {
    calls.length = 0;
    const b = new RawBatcher({} as never, { rowBudget: 1_000, minPayloads: 1, parallel: 1 });
    const first = b.process(["1"]);
    const rest = [b.process(["2", "3"]), b.process(["bad"]), b.process(["4"])];
    await first;
    const settled = await Promise.allSettled(rest);
    expect(settled.map((s) => s.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    // ["1"] alone, then the three waiting jobs in one batch, which failed and was redone job by job.
    expect(calls).toEqual([["1"], ["2", "3", "bad", "4"], ["2", "3"], ["bad"], ["4"]]);
  });

  it("splits a job larger than the payload budget and settles it after its last part", async () => {
    calls.length = 0;
    const b = new RawBatcher({} as never, { rowBudget: 20, minPayloads: 1, parallel: 1 });
    await b.process(["a", "b", "c", "d", "e"]);
    expect(calls.flat()).toEqual(["a", "b", "c", "d", "e"]);
    expect(calls.length).toBeGreaterThan(1);
  });
});
