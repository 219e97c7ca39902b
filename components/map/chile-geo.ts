/**
 * Chile's 16 regions with their real boundaries: Natural Earth 1:10m Admin 1 (public domain), simplified once to
 * ≈ 2 km by scripts/geo/extract-chile-regions.mjs into chile-regions.json (≈ 25 KB, shipped with the app: no tiles,
 * nothing from the internet). Good to place points and draw the map, not for surveying: a point within a kilometre
 * or two of a regional border may land on the other side. Source and licence: README.md beside this file.
 */
import data from "./chile-regions.json";

type LatLon = readonly [number, number];

export interface Region {
  code: string;
  name: string;
  /** Each polygon is its outer ring, then any holes; [lat, lon] without the closing point. */
  polygons: LatLon[][][];
  label: LatLon;
}

/** Undoes the file's delta encoding: [lat0, lon0, dlat1, dlon1, …] in 1/scale degrees. */
function decode(flat: readonly number[], scale: number): LatLon[] {
  const ring: LatLon[] = [];
  let lat = 0;
  let lon = 0;
  for (let i = 0; i + 1 < flat.length; i += 2) {
    lat += flat[i]!;
    lon += flat[i + 1]!;
    ring.push([lat / scale, lon / scale]);
  }
  return ring;
}

/** North to south, as the DGA lists them. */
export const REGIONS: Region[] = data.regions.map((r) => ({
  code: r.code,
  name: r.name,
  polygons: r.polygons.map((poly) => poly.map((ring) => decode(ring, data.scale))),
  label: [r.label[0]! / data.scale, r.label[1]! / data.scale],
}));

/** Even–odd ray casting on one ring. */
function inside([lat, lon]: LatLon, ring: readonly LatLon[]): boolean {
  let hit = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [ai, oi] = ring[i]!;
    const [aj, oj] = ring[j]!;
    if (oi > lon !== oj > lon && lat < ((aj - ai) * (lon - oi)) / (oj - oi) + ai) hit = !hit;
  }
  return hit;
}

/** Inside the outer ring and in none of the holes. */
const inPolygon = (at: LatLon, poly: readonly (readonly LatLon[])[]) =>
  poly.reduce((hit, ring) => (inside(at, ring) ? !hit : hit), false);

/** Distance in km from a point to a ring's edges (locally flat: fine at a few kilometres). */
function kmToRing([lat, lon]: LatLon, ring: readonly LatLon[]): number {
  const kx = 111.32 * Math.cos((lat * Math.PI) / 180);
  const ky = 110.57;
  let best = Infinity;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [ax, ay] = [(ring[j]![1] - lon) * kx, (ring[j]![0] - lat) * ky];
    const [bx, by] = [(ring[i]![1] - lon) * kx, (ring[i]![0] - lat) * ky];
    const [dx, dy] = [bx - ax, by - ay];
    const t = Math.max(0, Math.min(1, -(ax * dx + ay * dy) / (dx * dx + dy * dy || 1)));
    best = Math.min(best, Math.hypot(ax + t * dx, ay + t * dy));
  }
  return best;
}

/** How far off the simplified coast a point may be and still belong to the nearest region (a coastal town's wells). */
const COAST_KM = 5;

/**
 * The region a coordinate [lat, lon] falls in (point in polygon), else the nearest region within COAST_KM,
 * else undefined (at sea or abroad).
 */
export function regionAt(at: LatLon): Region | undefined {
  const hit = REGIONS.find((r) => r.polygons.some((p) => inPolygon(at, p)));
  if (hit) return hit;
  let near: { region: Region; km: number } | undefined;
  for (const region of REGIONS)
    for (const ring of region.polygons.flat()) {
      const km = kmToRing(at, ring);
      if (km <= COAST_KM && (!near || km < near.km)) near = { region, km };
    }
  return near?.region;
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

/** Mainland Chile and its southern islands (the oceanic islands lie west of it, off the map). */
export const CHILE_BOUNDS = { north: -17.3, south: -56.2, west: -76.0, east: -66.2 };
