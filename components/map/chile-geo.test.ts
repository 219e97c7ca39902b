import { describe, expect, it } from "vitest";
import { REGIONS, regionAt } from "./chile-geo";

describe("regionAt", () => {
  it.each([
    ["Arica", -18.48, -70.31, "Arica y Parinacota"],
    ["Iquique", -20.22, -70.14, "Tarapacá"],
    ["Calama", -22.46, -68.93, "Antofagasta"],
    ["Antofagasta", -23.65, -70.4, "Antofagasta"],
    ["Copiapó", -27.37, -70.33, "Atacama"],
    ["La Serena", -29.9, -71.25, "Coquimbo"],
    ["Valparaíso", -33.05, -71.6, "Valparaíso"],
    ["Santiago", -33.45, -70.66, "Metropolitana"],
    ["Puente Alto", -33.6, -70.57, "Metropolitana"],
    ["Rancagua", -34.17, -70.74, "O'Higgins"],
    ["San Fernando", -34.58, -70.99, "O'Higgins"],
    ["Talca", -35.43, -71.66, "Maule"],
    ["Chillán", -36.61, -72.1, "Ñuble"],
    ["Concepción", -36.83, -73.05, "Biobío"],
    ["Los Ángeles", -37.47, -72.35, "Biobío"],
    ["Temuco", -38.74, -72.6, "La Araucanía"],
    ["Valdivia", -39.81, -73.24, "Los Ríos"],
    ["Puerto Montt", -41.47, -72.94, "Los Lagos"],
    ["Castro (Chiloé)", -42.48, -73.76, "Los Lagos"],
    ["Coyhaique", -45.57, -72.07, "Aysén"],
    ["Punta Arenas", -53.16, -70.91, "Magallanes"],
    ["Porvenir (Tierra del Fuego)", -53.3, -70.37, "Magallanes"],
    ["Hanga Roa (Rapa Nui)", -27.15, -109.42, "Valparaíso"],
  ])("%s is in %s", (_city, lat, lon, region) => {
    expect(regionAt([lat, lon])?.name).toBe(region);
  });

  it("finds no region at sea or abroad", () => {
    expect(regionAt([-34.0, -80.0])).toBeUndefined(); // Pacific
    expect(regionAt([-32.89, -68.83])).toBeUndefined(); // Mendoza, Argentina
    expect(regionAt([-16.4, -71.54])).toBeUndefined(); // Arequipa, Peru
  });
});

describe("REGIONS", () => {
  it("has Chile's 16 regions, each with a label inside its own polygons", () => {
    expect(REGIONS).toHaveLength(16);
    expect(new Set(REGIONS.map((r) => r.code)).size).toBe(16);
    for (const r of REGIONS) expect(regionAt(r.label)?.name, r.name).toBe(r.name);
  });
});

describe("regionAt near the coast", () => {
  it("gives a point just off the simplified coastline to the nearest region, not one far out at sea", () => {
    expect(regionAt([-53.16, -70.89])?.name).toBe("Magallanes"); // Punta Arenas' waterfront
    expect(regionAt([-33.02, -71.55])?.name).toBe("Valparaíso"); // Viña del Mar
    expect(regionAt([-33.03, -72.0])).toBeUndefined(); // ~25 km offshore
  });
});
