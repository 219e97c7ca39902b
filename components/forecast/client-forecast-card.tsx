"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useTRPC } from "@/trpc/react";
import { ErrorMsg, Loading } from "@/components/ui/states";
import { RightChart } from "./right-chart";
import { dayEs, m3, pct, tone } from "./format";

/** Overview: the client's projected water-year extraction against the sum of its rights, compact. */
export function ClientForecastCard({ clientId, href }: { clientId: number; href: (path: string) => string }) {
  const trpc = useTRPC();
  const q = useQuery(trpc.forecast.client.queryOptions({ clientId }));
  const t = q.data?.total;
  const atRisk = (q.data?.points ?? []).filter((p) => p.exceedance.alreadyExceeded || p.exceedance.date);
  return (
    <section className="card stack" aria-labelledby="ov-fc" data-testid="client-forecast-card">
      <h2 id="ov-fc" style={{ margin: 0 }}>
        Proyección del año hidrológico
      </h2>
      <ErrorMsg error={q.error} />
      {q.isLoading ? (
        <Loading what="proyección" />
      ) : (
        t && (
          <>
            <p className="small" style={{ margin: 0 }}>
              {t.explanation}
            </p>
            {t.waterYear && (
              <p style={{ margin: 0 }}>
                Proyección <strong>{m3(t.waterYear.projectedM3)}</strong> (90 %: {m3(t.waterYear.lowM3)}–
                {m3(t.waterYear.highM3)})
                {t.waterYear.rightM3 ? (
                  <>
                    {" "}
                    de {m3(t.waterYear.rightM3)} otorgados{" "}
                    <span className={`badge ${tone(t.waterYear.projectedPctOfRight)}`}>
                      {pct(t.waterYear.projectedPctOfRight)}
                    </span>
                  </>
                ) : null}
              </p>
            )}
            {t.series && t.waterYear && <RightChart series={t.series} rightM3={t.waterYear.rightM3} height={160} />}
            {atRisk.length > 0 && (
              <ul className="small" aria-label="Puntos que superarían su derecho">
                {atRisk.slice(0, 5).map((p) => (
                  <li key={p.pointId}>
                    <Link prefetch={false} href={href(`/points/${p.pointId}`)}>
                      {p.name}
                    </Link>
                    :{" "}
                    {p.exceedance.alreadyExceeded
                      ? "derecho ya superado"
                      : `superaría su derecho el ${dayEs(p.exceedance.date)}`}
                  </li>
                ))}
              </ul>
            )}
          </>
        )
      )}
    </section>
  );
}
