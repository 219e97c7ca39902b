import { afterEach, describe, expect, it, vi } from "vitest";
import { memoModuleEnabled, memoPointClient, memoPrincipal, setLookupCacheTtl } from "./request-memo";

afterEach(() => {
  setLookupCacheTtl(0);
  vi.useRealTimers();
});

describe("request lookup memos (REST API process, ADR 0014)", () => {
  it("are off by default: every call loads", async () => {
    const load = vi.fn(async () => 3);
    await memoPointClient(1, load);
    await memoPointClient(1, load);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it("keep a found value for the TTL, then load again", async () => {
    vi.useFakeTimers({ toFake: ["performance"] });
    setLookupCacheTtl(5);
    const load = vi.fn(async () => ({ kind: "user", id: 1 }));
    await memoPrincipal("Bearer a", load);
    await memoPrincipal("Bearer a", load);
    expect(load).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(5_001);
    await memoPrincipal("Bearer a", load);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it("never keep a miss: a new key, point or module works at once", async () => {
    setLookupCacheTtl(5);
    const missing = vi.fn(async () => null);
    expect(await memoPrincipal("Bearer new", missing)).toBeNull();
    expect(await memoPrincipal("Bearer new", async () => ({ id: 2 }))).toEqual({ id: 2 });
    const off = vi.fn(async () => false);
    expect(await memoModuleEnabled(1, "api", off)).toBe(false);
    expect(await memoModuleEnabled(1, "api", async () => true)).toBe(true);
    expect(await memoModuleEnabled(1, "api", off)).toBe(true);
    expect(off).toHaveBeenCalledTimes(1);
  });
});
