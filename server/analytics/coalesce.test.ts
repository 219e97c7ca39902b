import { describe, expect, it } from "vitest";
import { coalescer } from "./coalesce";

describe("coalescer", () => {
  it("shares one in-flight computation per key and starts a new one once it settles", async () => {
    const collapse = coalescer<{ n: number }>();
    let calls = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const compute = async () => {
      calls++;
      await gate;
      return { n: calls };
    };
    const a = collapse("client:1", compute);
    const b = collapse("client:1", compute);
    const other = collapse("client:2", async () => ({ n: -1 }));
    release();
    expect(await a).toBe(await b);
    expect(calls).toBe(1);
    expect((await other).n).toBe(-1);
    const c = await collapse("client:1", compute);
    expect(calls).toBe(2);
    expect(c.n).toBe(2);
  });

  it("a failure reaches every waiter and is not kept", async () => {
    const collapse = coalescer<number>();
    const boom = () => Promise.reject(new Error("down"));
    await expect(Promise.all([collapse("k", boom), collapse("k", boom)])).rejects.toThrow("down");
    expect(await collapse("k", async () => 7)).toBe(7);
  });
});
