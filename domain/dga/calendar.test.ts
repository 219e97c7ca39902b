import { describe, expect, it } from "vitest";
import { slotLight, worstLight } from "./calendar";
import { csvCell, toCsv } from "../csv";

const now = new Date("2026-06-01T15:30:00Z");
const at = (iso: string) => new Date(iso);

describe("compliance traffic light", () => {
  it("colours slots by state and lateness", () => {
    expect(slotLight({ state: "pending", slotAt: at("2026-06-01T16:00:00Z"), reasons: [] }, now)).toBe("grey");
    expect(slotLight({ state: "sent", slotAt: at("2026-06-01T14:00:00Z"), reasons: [] }, now)).toBe("green");
    expect(slotLight({ state: "pending", slotAt: at("2026-06-01T15:00:00Z"), reasons: [] }, now)).toBe("yellow");
    expect(slotLight({ state: "pending", slotAt: at("2026-06-01T12:00:00Z"), reasons: [] }, now)).toBe("orange");
    expect(slotLight({ state: "requires_review", slotAt: at("2026-06-01T14:00:00Z"), reasons: [] }, now)).toBe(
      "orange",
    );
    expect(slotLight({ state: "failed", slotAt: at("2026-06-01T14:00:00Z"), reasons: [] }, now)).toBe("red");
    expect(
      slotLight({ state: "skipped", slotAt: at("2026-06-01T14:00:00Z"), reasons: ["shadow_before_cutover"] }, now),
    ).toBe("grey");
    expect(
      slotLight({ state: "skipped", slotAt: at("2026-06-01T14:00:00Z"), reasons: ["no_data_written_off"] }, now),
    ).toBe("red");
    expect(slotLight({ state: "skipped", slotAt: at("2026-06-01T14:00:00Z"), reasons: ["before_go_live"] }, now)).toBe(
      "grey",
    );
  });

  it("a day shows its worst slot", () => {
    expect(worstLight(["green", "yellow", "green"])).toBe("yellow");
    expect(worstLight([])).toBe("grey");
    expect(worstLight(["orange", "red", "green"])).toBe("red");
  });
});

describe("machine CSV", () => {
  it("quotes only what needs quoting and writes instants in ISO UTC", () => {
    expect(csvCell(null)).toBe("");
    expect(csvCell('a "b", c')).toBe('"a ""b"", c"');
    expect(csvCell(new Date("2026-06-01T00:00:00Z"))).toBe("2026-06-01T00:00:00.000Z");
    expect(toCsv(["a", "b"], [[1, "x,y"]])).toBe('a,b\r\n1,"x,y"\r\n');
  });
});
