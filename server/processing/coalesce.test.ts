import { describe, expect, it, vi } from "vitest";

const calls: string[][] = [];
const events: string[] = [];
const stats = (ids: readonly string[]) => ({
  raws: ids.length,
  skipped: 0,
  rejected: 0,
  rows: ids.length * 10,
  inserted: 0,
  conflicts: 0,
  flagUpdates: 0,
  anomalies: 0,
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
vi.mock("./pipeline", () => ({
  processRawBatch: vi.fn(async (_deps: unknown, ids: readonly string[]) => {
    calls.push([...ids]);
    await sleep(5);
    if (ids.includes("bad")) throw new Error("bad payload");
    return stats(ids);
  }),
  prepareRawBatch: vi.fn(async (_deps: unknown, ids: readonly string[]) => {
    events.push(`parse ${ids.join(",")}`);
    await sleep(5);
    events.push(`parsed ${ids.join(",")}`);
    return { rawIds: ids };
  }),
  commitPreparedBatch: vi.fn(async (_deps: unknown, prepared: { rawIds: readonly string[] }) => {
    events.push(`commit ${prepared.rawIds.join(",")}`);
    await sleep(20);
    events.push(`committed ${prepared.rawIds.join(",")}`);
    return stats(prepared.rawIds);
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

  it("overlap: the next batch is parsed while one commits, and commits never run together", async () => {
    events.length = 0;
    const b = new RawBatcher({} as never, { rowBudget: 20, minPayloads: 1, parallel: 2, overlap: true });
    await Promise.all([b.process(["a", "b"]), b.process(["c", "d"]), b.process(["e", "f"])]);
    let open = 0;
    for (const e of events) {
      if (e.startsWith("commit ")) expect(++open).toBe(1);
      if (e.startsWith("committed ")) open--;
    }
    const committed = events.filter((e) => e.startsWith("committed ")).flatMap((e) => e.slice(10).split(","));
    expect(committed.sort()).toEqual(["a", "b", "c", "d", "e", "f"]);
    // Some batch was parsed while another was inside its commit.
    const overlapped = events.some((e, i) => {
      if (!e.startsWith("parsed ")) return false;
      const commitsBefore = events.slice(0, i).filter((x) => x.startsWith("commit ")).length;
      const doneBefore = events.slice(0, i).filter((x) => x.startsWith("committed ")).length;
      return commitsBefore > doneBefore;
    });
    expect(overlapped).toBe(true);
  });
});
