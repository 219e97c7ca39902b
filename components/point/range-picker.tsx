"use client";
import { useState } from "react";
import { RANGE_PRESETS, type RangePreset } from "@/domain/ui/chart";
import { wall } from "@/domain/ui/ticks";
import { zonedTimeToDate } from "@/domain/format";

export type RangeChoice = { preset: RangePreset } | { preset: "custom"; from: Date; to: Date };

const pad2 = (n: number) => String(n).padStart(2, "0");
/** The value of a datetime-local input, in Santiago time. */
const toLocal = (d: Date) => {
  const w = wall(d.getTime());
  return `${w.y}-${pad2(w.m)}-${pad2(w.d)}T${pad2(w.h)}:${pad2(w.mi)}`;
};

/** Presets (1 h … 1 año) and a custom from/to in America/Santiago time. */
export function RangePicker({
  value,
  onChange,
  defaults,
}: {
  value: RangeChoice;
  onChange: (r: RangeChoice) => void;
  defaults: { from: Date; to: Date };
}) {
  const [custom, setCustom] = useState(value.preset === "custom");
  const [err, setErr] = useState<string | null>(null);
  return (
    <div className="stack" style={{ marginTop: 0 }}>
      <div className="seg" role="group" aria-label="Rango de tiempo">
        {RANGE_PRESETS.map((p) => (
          <button
            key={p.key}
            type="button"
            aria-pressed={value.preset === p.key && !custom}
            onClick={() => {
              setCustom(false);
              onChange({ preset: p.key });
            }}
          >
            {p.label}
          </button>
        ))}
        <button type="button" aria-pressed={custom} onClick={() => setCustom(true)}>
          Personalizado
        </button>
      </div>
      {custom && (
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault();
            const f = new FormData(e.currentTarget);
            // datetime-local has no zone: read it as Santiago time, whatever the browser's zone.
            const from = zonedTimeToDate(String(f.get("from")));
            const to = zonedTimeToDate(String(f.get("to")));
            if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime()) || from >= to)
              return setErr("El inicio debe ser anterior al término.");
            setErr(null);
            onChange({ preset: "custom", from, to });
          }}
        >
          <div>
            <label htmlFor="r-from">Desde (hora de Santiago)</label>
            <input id="r-from" name="from" type="datetime-local" defaultValue={toLocal(defaults.from)} />
          </div>
          <div>
            <label htmlFor="r-to">Hasta (hora de Santiago)</label>
            <input id="r-to" name="to" type="datetime-local" defaultValue={toLocal(defaults.to)} />
          </div>
          <button type="submit" style={{ alignSelf: "flex-end" }}>
            Aplicar
          </button>
          {err && (
            <p role="alert" className="error">
              {err}
            </p>
          )}
        </form>
      )}
    </div>
  );
}
