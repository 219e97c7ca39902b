"use client";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/trpc/react";
import { ErrorMsg, Loading } from "@/components/ui/states";
import { monthLabelEs } from "@/domain/analytics/period";
import { LIGHT_LABEL, worst, type Light } from "./lights";
import { DGA_SLOT_STATE_LABEL as SLOT_STATE_LABEL } from "@/domain/i18n/labels";

const DOW = ["lun", "mar", "mié", "jue", "vie", "sáb", "dom"];

/** Month grid with one traffic light per DGA (UTC-4) day; a day opens its hourly slots (one point) or its points. */
export function ComplianceCalendar({
  clientId,
  month,
  pointId,
  pointNames,
}: {
  clientId: number;
  month: string;
  pointId: number | null;
  pointNames: Map<number, string>;
}) {
  const trpc = useTRPC();
  const q = useQuery(trpc.compliance.calendar.queryOptions({ clientId, month, ...(pointId ? { pointId } : {}) }));
  const [day, setDay] = useState<string | null>(null);
  const [y, m] = month.split("-").map(Number) as [number, number];
  const daysInMonth = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const firstDow = (new Date(Date.UTC(y, m - 1, 1)).getUTCDay() + 6) % 7;
  const byDay = new Map<
    string,
    { light: Light; counts: Record<string, number>; points: { pointId: number; light: Light }[] }
  >();
  for (const d of q.data?.days ?? []) {
    const cur = byDay.get(d.day) ?? { light: "grey" as Light, counts: {}, points: [] };
    cur.light = worst([cur.light, d.light as Light]);
    for (const [k, v] of Object.entries(d.counts)) cur.counts[k] = (cur.counts[k] ?? 0) + v;
    cur.points.push({ pointId: d.pointId, light: d.light as Light });
    byDay.set(d.day, cur);
  }
  if (q.isLoading) return <Loading what="calendario" />;
  const sel = day ? byDay.get(day) : null;
  const slots = (q.data?.slots ?? []).filter((s) => s.fecha === day);
  return (
    <div className="stack">
      <ErrorMsg error={q.error} />
      <div className="cal" role="group" aria-label={`Calendario DGA de ${monthLabelEs(month)}`}>
        {DOW.map((d) => (
          <div key={d} className="dow" aria-hidden="true">
            {d}
          </div>
        ))}
        {Array.from({ length: firstDow }, (_, i) => (
          <div key={`e${i}`} />
        ))}
        {Array.from({ length: daysInMonth }, (_, i) => {
          const key = `${month}-${String(i + 1).padStart(2, "0")}`;
          const d = byDay.get(key);
          const light = d?.light ?? "grey";
          const n = d ? Object.values(d.counts).reduce((a, b) => a + b, 0) : 0;
          return (
            <button
              key={key}
              className="day"
              aria-pressed={day === key}
              onClick={() => setDay(day === key ? null : key)}
              data-testid="cal-day"
              aria-label={`${i + 1} de ${monthLabelEs(month)}: ${LIGHT_LABEL[light]}${n ? `, ${n} reportes` : ""}`}
            >
              <span>{i + 1}</span>
              <span className={`light light-${light}`} aria-hidden="true" />
            </button>
          );
        })}
      </div>
      <ul className="legend" style={{ listStyle: "none", padding: 0 }} aria-label="Leyenda del semáforo">
        {(Object.keys(LIGHT_LABEL) as Light[]).map((l) => (
          <li key={l}>
            <span className={`dot light-${l}`} aria-hidden="true" />
            {LIGHT_LABEL[l]}
          </li>
        ))}
      </ul>
      {day && (
        <section className="card" aria-live="polite" aria-labelledby="cal-day-title">
          <h3 id="cal-day-title">Día {day.split("-").reverse().join("-")} (hora DGA, UTC-4)</h3>
          {!sel && <p className="muted">Sin reportes programados ese día.</p>}
          {sel && (
            <p className="small">
              {Object.entries(sel.counts)
                .map(([k, v]) => `${SLOT_STATE_LABEL[k] ?? k}: ${v}`)
                .join(" · ")}
            </p>
          )}
          {pointId && slots.length > 0 && (
            <div className="hours" role="list" aria-label="Reportes por hora">
              {slots.map((s) => (
                <div
                  key={s.id ?? `missing-${s.hora}`}
                  role="listitem"
                  className={`hour light-${s.light}`}
                  title={`${s.hora} — ${SLOT_STATE_LABEL[s.state] ?? s.state}${s.receipt ? ` — comprobante ${s.receipt}` : ""}`}
                >
                  {s.hora.slice(0, 5)}
                  <span className="visually-hidden">: {SLOT_STATE_LABEL[s.state] ?? s.state}</span>
                </div>
              ))}
            </div>
          )}
          {!pointId && sel && (
            <ul style={{ listStyle: "none", padding: 0, margin: 0 }}>
              {sel.points.map((p) => (
                <li key={p.pointId}>
                  <span className={`dot light-${p.light}`} aria-hidden="true" />
                  {pointNames.get(p.pointId) ?? `Punto ${p.pointId}`}: {LIGHT_LABEL[p.light]}
                </li>
              ))}
            </ul>
          )}
          {!pointId && <p className="hint">Elija un punto para ver cada hora.</p>}
        </section>
      )}
    </div>
  );
}
