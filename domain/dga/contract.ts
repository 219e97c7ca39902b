/** The MEE REST contract (Res. Exenta DGA 2.170/2025, Manual Técnico 1/2025) as constants. */
export const DGA_BASE_URL = "https://apimee.mop.gob.cl/api/v1";

export const POINT_KINDS = ["groundwater", "surface", "surface_flowmeter"] as const;
export type PointKind = (typeof POINT_KINDS)[number];

export const DGA_PATHS = {
  groundwater: "/mediciones/subterraneas",
  surface: "/mediciones/superficiales",
  surface_flowmeter: "/mediciones/superficiales/flujometro",
} as const satisfies Record<PointKind, string>;
export type DgaPath = (typeof DGA_PATHS)[PointKind];

export const SUCCESS_STATUS = "00";
export const TOTALIZER_MAX_CHARS = 15;
