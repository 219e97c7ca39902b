/**
 * A simplified outline of Chile and its 16 regions, drawn by hand from approximate lat/lon (shipped
 * with the app: no tiles, nothing from the internet). Mainland regions are latitude bands between
 * the coast and the eastern border; the Metropolitana region is inland and drawn on top; Chiloé and
 * Tierra del Fuego are separate islands. Good enough to place points, not for surveying.
 */
type LatLon = readonly [number, number];

/** Pacific coast, north to south (lat, lon). */
const COAST: LatLon[] = [
  [-18.35, -70.38],
  [-19.2, -70.29],
  [-19.6, -70.22],
  [-20.22, -70.15],
  [-21.0, -70.16],
  [-21.6, -70.15],
  [-22.1, -70.2],
  [-23.1, -70.5],
  [-23.65, -70.4],
  [-24.5, -70.55],
  [-25.4, -70.48],
  [-26.05, -70.62],
  [-26.35, -70.65],
  [-27.07, -70.85],
  [-28.0, -71.15],
  [-28.5, -71.3],
  [-29.3, -71.33],
  [-29.9, -71.35],
  [-30.25, -71.62],
  [-31.0, -71.65],
  [-31.9, -71.52],
  [-32.5, -71.45],
  [-33.03, -71.63],
  [-33.6, -71.62],
  [-33.95, -71.85],
  [-34.39, -72.0],
  [-34.9, -72.18],
  [-35.35, -72.42],
  [-36.1, -72.8],
  [-36.6, -72.95],
  [-37.1, -73.15],
  [-37.6, -73.65],
  [-38.0, -73.5],
  [-38.5, -73.45],
  [-39.4, -73.22],
  [-39.87, -73.4],
  [-40.6, -73.75],
  [-41.5, -73.8],
  [-41.75, -73.0],
  [-42.5, -72.85],
  [-43.5, -72.95],
  [-44.0, -73.2],
  [-45.0, -73.7],
  [-46.0, -74.6],
  [-46.6, -75.6],
  [-47.0, -74.5],
  [-48.0, -75.2],
  [-49.2, -75.5],
  [-50.0, -75.4],
  [-51.0, -75.1],
  [-52.0, -74.8],
  [-52.8, -74.4],
  [-53.5, -73.0],
  [-53.9, -72.0],
  [-53.9, -71.3],
  [-53.15, -70.9],
  [-52.7, -70.2],
  [-52.45, -69.3],
];

/** Eastern border (Peru, Bolivia, Argentina), north to south (lat, lon). */
const BORDER: LatLon[] = [
  [-17.5, -69.5],
  [-18.3, -69.1],
  [-19.0, -68.9],
  [-19.2, -68.85],
  [-20.0, -68.7],
  [-21.0, -68.5],
  [-21.6, -68.2],
  [-22.0, -68.1],
  [-22.8, -67.8],
  [-23.0, -67.15],
  [-24.0, -67.3],
  [-25.0, -68.4],
  [-26.05, -68.4],
  [-27.0, -68.5],
  [-28.0, -69.1],
  [-29.0, -69.8],
  [-29.3, -69.85],
  [-30.0, -69.9],
  [-31.0, -70.4],
  [-32.2, -70.2],
  [-33.0, -70.05],
  [-33.95, -69.95],
  [-34.0, -69.9],
  [-35.0, -70.3],
  [-36.1, -70.55],
  [-37.0, -71.1],
  [-37.1, -71.1],
  [-38.0, -71.1],
  [-38.5, -71.2],
  [-39.0, -71.3],
  [-39.6, -71.5],
  [-40.0, -71.6],
  [-40.6, -71.85],
  [-41.0, -71.85],
  [-42.2, -71.7],
  [-43.2, -71.8],
  [-44.0, -71.7],
  [-45.0, -71.5],
  [-45.9, -71.6],
  [-46.6, -71.7],
  [-47.3, -72.0],
  [-47.9, -72.3],
  [-48.6, -72.6],
  [-49.2, -73.3],
  [-50.7, -73.2],
  [-51.3, -72.4],
  [-52.0, -71.9],
  [-52.0, -70.0],
  [-52.15, -69.0],
  [-52.4, -68.45],
];

export interface Region {
  code: string;
  name: string;
  polygons: LatLon[][];
  label: LatLon;
}

/** Mainland bands: [code, name, north edge, south edge] — the edges are points present in both lines above. */
const BANDS: [string, string, number, number][] = [
  ["XV", "Arica y Parinacota", -17.5, -19.2],
  ["I", "Tarapacá", -19.2, -21.6],
  ["II", "Antofagasta", -21.6, -26.05],
  ["III", "Atacama", -26.05, -29.3],
  ["IV", "Coquimbo", -29.3, -32.2],
  ["V", "Valparaíso", -32.2, -33.95],
  ["VI", "O'Higgins", -33.95, -34.9],
  ["VII", "Maule", -34.9, -36.1],
  ["XVI", "Ñuble", -36.1, -37.1],
  ["VIII", "Biobío", -37.1, -38.5],
  ["IX", "La Araucanía", -38.5, -39.6],
  ["XIV", "Los Ríos", -39.6, -40.6],
  ["X", "Los Lagos", -40.6, -44.0],
  ["XI", "Aysén", -44.0, -49.2],
  ["XII", "Magallanes", -49.2, -90],
];

function interp(line: LatLon[], lat: number): LatLon | null {
  for (let i = 0; i + 1 < line.length; i++) {
    const a = line[i]!;
    const b = line[i + 1]!;
    if ((a[0] >= lat && b[0] <= lat) || (a[0] <= lat && b[0] >= lat)) {
      const t = a[0] === b[0] ? 0 : (lat - a[0]) / (b[0] - a[0]);
      return [lat, a[1] + t * (b[1] - a[1])];
    }
  }
  return null;
}

function band(north: number, south: number): LatLon[] {
  const inBand = (p: LatLon) => p[0] <= north && p[0] >= south;
  const coast = COAST.filter(inBand);
  const border = BORDER.filter(inBand);
  const edges = (line: LatLon[], lat: number) =>
    line.some((p) => p[0] === lat) ? [] : [interp(line, lat)].filter((p): p is LatLon => !!p);
  // Peru border closes the first band: the coast starts at -18.35, the border at -17.5.
  return [
    ...edges(COAST, north),
    ...coast,
    ...edges(COAST, south),
    ...edges(BORDER, south),
    ...border.reverse(),
    ...edges(BORDER, north),
  ];
}

// The southern edge follows the Angostura de Paine (~33.93° S in the central valley): Rancagua (34.17° S)
// and the Cachapoal valley are O'Higgins; Alhué in the west and the upper Maipo in the east reach further south.
const METROPOLITANA: LatLon[] = [
  [-32.92, -70.9],
  [-33.05, -71.35],
  [-33.5, -71.6],
  [-33.9, -71.55],
  [-34.1, -71.35],
  [-34.05, -71.05],
  [-33.93, -70.75],
  [-34.0, -70.45],
  [-34.25, -70.05],
  [-34.2, -69.9],
  [-33.95, -69.95],
  [-33.0, -70.05],
];
const CHILOE: LatLon[] = [
  [-41.78, -73.9],
  [-41.85, -73.4],
  [-42.5, -73.4],
  [-43.2, -73.6],
  [-43.4, -74.0],
  [-42.6, -74.2],
  [-41.9, -74.05],
];
const TIERRA_DEL_FUEGO: LatLon[] = [
  [-52.65, -68.62],
  [-54.9, -68.62],
  [-55.05, -69.5],
  [-54.8, -71.0],
  [-54.2, -72.3],
  [-53.4, -70.3],
  [-52.8, -69.6],
];
const NAVARINO: LatLon[] = [
  [-54.93, -68.5],
  [-54.95, -66.9],
  [-55.5, -67.2],
  [-55.98, -67.3],
  [-55.6, -68.5],
  [-55.2, -69.2],
];

const centroid = (poly: LatLon[]): LatLon => [
  poly.reduce((s, p) => s + p[0], 0) / poly.length,
  poly.reduce((s, p) => s + p[1], 0) / poly.length,
];

export const REGIONS: Region[] = [
  ...BANDS.map(([code, name, n, s]) => {
    const poly = band(n, s);
    const polygons = code === "X" ? [poly, CHILOE] : code === "XII" ? [poly, TIERRA_DEL_FUEGO, NAVARINO] : [poly];
    return { code, name, polygons, label: centroid(poly) };
  }),
  // Drawn last: inland, on top of Valparaíso and O'Higgins.
  { code: "RM", name: "Metropolitana de Santiago", polygons: [METROPOLITANA], label: centroid(METROPOLITANA) },
];

function inside([lat, lon]: LatLon, poly: readonly LatLon[]): boolean {
  let hit = false;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const [ai, oi] = poly[i]!;
    const [aj, oj] = poly[j]!;
    if (oi > lon !== oj > lon && lat < ((aj - ai) * (lon - oi)) / (oj - oi) + ai) hit = !hit;
  }
  return hit;
}

/** The region a coordinate falls in (the Metropolitana drawn on top wins), or undefined at sea. */
export function regionAt(at: LatLon): Region | undefined {
  return [...REGIONS].reverse().find((r) => r.polygons.some((p) => inside(at, p)));
}

/** Equirectangular projection scaled by cos(mid latitude) so shapes are not stretched. */
export function projector(bounds: { north: number; south: number; west: number; east: number }, width: number) {
  const k = Math.cos((((bounds.north + bounds.south) / 2) * Math.PI) / 180);
  const scale = width / ((bounds.east - bounds.west) * k);
  const height = (bounds.north - bounds.south) * scale;
  return {
    height,
    project: ([lat, lon]: LatLon): [number, number] => [(lon - bounds.west) * k * scale, (bounds.north - lat) * scale],
  };
}

export const CHILE_BOUNDS = { north: -17.3, south: -56.2, west: -76.0, east: -66.2 };
