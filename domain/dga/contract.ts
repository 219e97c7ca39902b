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

export const MEASUREMENT_KEYS = {
  groundwater: "medicionSubterranea",
  surface: "medicionSuperficial",
  surface_flowmeter: "medicionSuperficialFlujometro",
} as const satisfies Record<PointKind, string>;

/** Fields of each measurement object, in the manual's order. All travel as strings. */
export const MEASUREMENT_FIELDS = {
  groundwater: ["caudal", "fechaMedicion", "horaMedicion", "nivelFreaticoDelPozo", "totalizador"],
  surface: ["alturaLimnimetrica", "caudal", "fechaMedicion", "horaMedicion"],
  surface_flowmeter: ["caudal", "fechaMedicion", "horaMedicion", "totalizador"],
} as const satisfies Record<PointKind, readonly string[]>;

export const SUCCESS_STATUS = "00";
export const TOTALIZER_MAX_CHARS = 15;
