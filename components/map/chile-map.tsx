"use client";
import Link from "next/link";
import { useMemo, useState } from "react";
import { CHILE_BOUNDS, REGIONS, projector } from "./chile-geo";
import { clusterPoints } from "./cluster";

export interface MapPoint {
  id: number;
  name: string;
  lat: number;
  lon: number;
  color: string;
  title: string;
  href: string;
  /** Higher is worse (alarm above late above ok): a cluster takes the colour of its worst point. */
  rank?: number;
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
  // One path per region (all its islands and holes), built once per projection.
  const paths = useMemo(
    () =>
      REGIONS.map((reg) =>
        reg.polygons
          .flat()
          .map(
            (ring) =>
              `M${ring
                .map((p) =>
                  project(p)
                    .map((v) => v.toFixed(1))
                    .join(","),
                )
                .join("L")}Z`,
          )
          .join(""),
      ),
    [project],
  );
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
        {REGIONS.map((reg, i) => (
          <path
            key={reg.code}
            d={paths[i]}
            fillRule="evenodd"
            className={`region${highlightRegion === reg.name ? " active" : ""}`}
          >
            <title>{reg.name}</title>
          </path>
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
        {clusterPoints(
          points.map((p) => {
            const [x, y] = project([p.lat, p.lon]);
            return { item: p, x, y };
          }),
          r * 2.2,
        ).map((c) => {
          if (c.items.length === 1) {
            const p = c.items[0]!;
            return (
              <Link key={p.id} prefetch={false} href={p.href} aria-label={`${p.name}: ${p.title}`}>
                <circle className="point" cx={c.x} cy={c.y} r={r} fill={p.color} data-testid="map-point">
                  <title>{`${p.name} — ${p.title}`}</title>
                </circle>
              </Link>
            );
          }
          const worst = c.items.reduce((a, b) => ((b.rank ?? 0) > (a.rank ?? 0) ? b : a));
          const names = c.items.map((p) => `${p.name} — ${p.title}`).join("\n");
          const cr = r + 3 + Math.sqrt(c.items.length) * 1.5;
          return (
            <g
              key={`c-${c.items[0]!.id}`}
              role="img"
              aria-label={`${c.items.length} puntos cercanos: ${c.items.map((p) => p.name).join(", ")}`}
              data-testid="map-cluster"
            >
              <title>{names}</title>
              <circle className="point" cx={c.x} cy={c.y} r={cr} fill={worst.color} />
              <text x={c.x} y={c.y + 3.5} fontSize={10} fontWeight={700} textAnchor="middle" fill="#fff">
                {c.items.length}
              </text>
            </g>
          );
        })}
      </svg>
      {legend}
    </figure>
  );
}
