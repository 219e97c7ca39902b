"use client";
import Link from "next/link";
import { useMemo, useState } from "react";
import { CHILE_BOUNDS, REGIONS, projector } from "./chile-geo";

export interface MapPoint {
  id: number;
  name: string;
  lat: number;
  lon: number;
  color: string;
  title: string;
  href: string;
}

const WIDTH = 300;

function fitBounds(points: MapPoint[]) {
  if (points.length === 0) return CHILE_BOUNDS;
  const lats = points.map((p) => p.lat);
  const lons = points.map((p) => p.lon);
  const [n, s, w, e] = [Math.max(...lats), Math.min(...lats), Math.min(...lons), Math.max(...lons)];
  // At least ~4° tall and wide enough to show the coast and the Andes around the points.
  const padLat = Math.max(1.5, (n - s) * 0.15);
  const midLon = (w + e) / 2;
  const halfLon = Math.max(2.6, (e - w) / 2 + 1);
  return {
    north: Math.min(n + padLat, CHILE_BOUNDS.north),
    south: Math.max(s - padLat, CHILE_BOUNDS.south),
    west: midLon - halfLon,
    east: midLon + halfLon,
  };
}

/** Chile's regions as an inline SVG with the points on top; each point is a keyboard-reachable link. */
export function ChileMap({
  points,
  highlightRegion,
  legend,
}: {
  points: MapPoint[];
  highlightRegion?: string | null;
  legend?: React.ReactNode;
}) {
  const [fit, setFit] = useState(true);
  const bounds = useMemo(() => (fit ? fitBounds(points) : CHILE_BOUNDS), [fit, points]);
  const { height, project } = useMemo(() => projector(bounds, WIDTH), [bounds]);
  const path = (poly: readonly (readonly [number, number])[]) =>
    `M${poly
      .map((p) =>
        project(p)
          .map((v) => v.toFixed(1))
          .join(","),
      )
      .join("L")}Z`;
  const r = fit ? 5 : 4;
  return (
    <figure className="map" style={{ margin: 0 }}>
      <div className="row" style={{ justifyContent: "space-between", marginBottom: ".4rem" }}>
        <figcaption className="small muted">Mapa de puntos ({points.length} con coordenadas)</figcaption>
        <button className="secondary small" aria-pressed={!fit} onClick={() => setFit((f) => !f)}>
          {fit ? "Ver todo Chile" : "Acercar a los puntos"}
        </button>
      </div>
      <svg
        viewBox={`0 0 ${WIDTH} ${height.toFixed(0)}`}
        role="group"
        aria-label="Mapa de Chile con los puntos de captación"
        style={{ maxHeight: fit ? "60vh" : "78vh" }}
      >
        {REGIONS.map((reg) => (
          <g key={reg.code}>
            <title>{reg.name}</title>
            {reg.polygons.map((poly, i) => (
              <path key={i} d={path(poly)} className={`region${highlightRegion === reg.name ? " active" : ""}`} />
            ))}
          </g>
        ))}
        {fit &&
          REGIONS.map((reg) => {
            const [x, y] = project(reg.label);
            return x > 0 && x < WIDTH && y > 0 && y < height ? (
              <text
                key={reg.code}
                x={x}
                y={y}
                fontSize={9}
                textAnchor="middle"
                fill="currentColor"
                opacity={0.65}
                aria-hidden="true"
              >
                {reg.name}
              </text>
            ) : null;
          })}
        {points.map((p) => {
          const [x, y] = project([p.lat, p.lon]);
          return (
            <Link key={p.id} prefetch={false} href={p.href} aria-label={`${p.name}: ${p.title}`}>
              <circle className="point" cx={x} cy={y} r={r} fill={p.color} data-testid="map-point">
                <title>{`${p.name} — ${p.title}`}</title>
              </circle>
            </Link>
          );
        })}
      </svg>
      {legend}
    </figure>
  );
}
