"use client";
import { DGA_STANDARDS } from "@/domain/dga/standards";
import { LABELS, label } from "@/domain/labels";
import { POINT_STATES } from "@/domain/analytics/state";
import { stateLabel } from "./point-state";

export interface PointFilters {
  q: string;
  provider: string;
  standard: string;
  state: string;
  region: string;
}
export const EMPTY_FILTERS: PointFilters = { q: "", provider: "", standard: "", state: "", region: "" };

export function FiltersBar({
  value,
  onChange,
  regions,
  withState,
}: {
  value: PointFilters;
  onChange: (f: PointFilters) => void;
  regions: string[];
  withState: boolean;
}) {
  const set = (k: keyof PointFilters) => (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) =>
    onChange({ ...value, [k]: e.target.value });
  const active = Object.values(value).some(Boolean);
  return (
    <form
      className="form-grid card"
      role="search"
      aria-label="Filtrar puntos"
      onSubmit={(e) => e.preventDefault()}
      style={{ marginBottom: "1rem" }}
    >
      <div>
        <label htmlFor="f-q">Buscar</label>
        <input id="f-q" type="search" placeholder="Nombre o código de obra" value={value.q} onChange={set("q")} />
      </div>
      <div>
        <label htmlFor="f-provider">Proveedor</label>
        <select id="f-provider" value={value.provider} onChange={set("provider")}>
          <option value="">Todos</option>
          {Object.keys(LABELS.provider).map((k) => (
            <option key={k} value={k}>
              {label("provider", k)}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor="f-standard">Estándar DGA</label>
        <select id="f-standard" value={value.standard} onChange={set("standard")}>
          <option value="">Todos</option>
          {DGA_STANDARDS.map((k) => (
            <option key={k} value={k}>
              {label("standard", k)}
            </option>
          ))}
        </select>
      </div>
      {withState && (
        <div>
          <label htmlFor="f-state">Estado</label>
          <select id="f-state" value={value.state} onChange={set("state")}>
            <option value="">Todos</option>
            {POINT_STATES.map((k) => (
              <option key={k} value={k}>
                {stateLabel(k)}
              </option>
            ))}
          </select>
        </div>
      )}
      <div>
        <label htmlFor="f-region">Región</label>
        <select id="f-region" value={value.region} onChange={set("region")}>
          <option value="">Todas</option>
          {regions.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
      </div>
      {active && (
        <div style={{ alignSelf: "end" }}>
          <button type="button" className="secondary" onClick={() => onChange(EMPTY_FILTERS)}>
            Limpiar filtros
          </button>
        </div>
      )}
    </form>
  );
}
