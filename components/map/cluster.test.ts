import { describe, expect, it } from "vitest";
import { clusterPoints } from "./cluster";

describe("clusterPoints", () => {
  it("merges points closer than the radius and keeps distant ones apart", () => {
    const c = clusterPoints(
      [
        { item: "a", x: 10, y: 10 },
        { item: "b", x: 14, y: 12 },
        { item: "c", x: 100, y: 100 },
        { item: "d", x: 12, y: 8 },
      ],
      8,
    );
    expect(c.map((k) => k.items)).toEqual([["a", "b", "d"], ["c"]]);
    expect(c[0]!.x).toBe(12);
    expect(c[0]!.y).toBe(10);
  });
});
