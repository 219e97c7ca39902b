import { describe, expect, it } from "vitest";
import { regionAt } from "./chile-geo";

describe("regionAt", () => {
  it("places cities in their region", () => {
    expect(regionAt([-34.17, -70.74])?.name).toBe("O'Higgins"); // Rancagua
    expect(regionAt([-33.45, -70.66])?.name).toBe("Metropolitana de Santiago"); // Santiago
    expect(regionAt([-33.6, -70.57])?.name).toBe("Metropolitana de Santiago"); // Puente Alto
    expect(regionAt([-34.58, -70.99])?.name).toBe("O'Higgins"); // San Fernando
    expect(regionAt([-35.43, -71.66])?.name).toBe("Maule"); // Talca
    expect(regionAt([-33.05, -71.6])?.name).toBe("Valparaíso"); // Valparaíso
    expect(regionAt([-34.0, -80.0])).toBeUndefined(); // at sea
  });
});
