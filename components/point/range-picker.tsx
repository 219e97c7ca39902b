"use client";
import { useState } from "react";
import { RANGE_PRESETS, type RangePreset } from "@/domain/ui/chart";
import { zonedTimeToDate } from "@/domain/format";

export type RangeChoice = { preset: RangePreset } | { preset: "custom"; from: Date; to: Date };

const toLocal = (d: Date) => {
  const p = new Intl.DateTimeFormat("en-CA", {
    timeZone: "America/Santiago",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(d);
  const o = Object.fromEntries(p.map((x) => [x.type, x.value]));
  return `${o.year}-${o.month}-${o.day}T${o.hour}:${o.minute}`;
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
