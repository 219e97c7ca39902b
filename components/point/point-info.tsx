"use client";
import type { PointRow } from "@/components/points/points-table";
import { label } from "@/domain/labels";
import { formatDateTime, formatDgaDateTime, formatNumber } from "@/domain/format";

/** The capture point's configuration (DGA identity, water right, sensor set-up). */
export function PointInfo({ p }: { p: PointRow }) {
  const n = (v: number | null, unit: string, d = 1) => (v == null ? "—" : `${formatNumber(v, d)} ${unit}`);
  return (
    <dl className="props">
      <dt>Cliente</dt>
      <dd>{p.client.name}</dd>
      <dt>Código de obra</dt>
      <dd className="mono">{p.obraCode ?? "—"}</dd>
      <dt>Tipo</dt>
      <dd>{label("kind", p.kind)}</dd>
      <dt>Estándar DGA</dt>
      <dd>{label("standard", p.dgaStandard)}</dd>
      <dt>Transporte DGA</dt>
      <dd>{label("transport", p.dgaTransport)}</dd>
      <dt>Inicio obligación DGA</dt>
      <dd>{p.dgaGoLiveAt ? formatDgaDateTime(p.dgaGoLiveAt) : "Sin obligación"}</dd>
      <dt>Caudal otorgado</dt>
      <dd>{n(p.grantedFlowLps, "L/s")}</dd>
      <dt>Volumen anual</dt>
      <dd>{n(p.annualVolumeM3, "m³", 0)}</dd>
      <dt>Región / SHAC</dt>
      <dd>
        {p.region ?? "—"}
        {p.shac ? ` · ${p.shac}` : ""}
      </dd>
      <dt>Coordenadas</dt>
      <dd>
        {p.latitude != null && p.longitude != null
          ? `${formatNumber(p.latitude, 4)}, ${formatNumber(p.longitude, 4)}`
          : "—"}
      </dd>
      <dt>Profundidad del pozo</dt>
      <dd>{n(p.wellDepthM, "m")}</dd>
      <dt>Sensor de nivel</dt>
      <dd>
        {p.levelMode === "depth_from_install"
          ? `Instalado a ${n(p.sensorInstallDepthM, "m")} (profundidad desde la instalación)`
          : "Nivel directo"}
      </dd>
      <dt>Factor de pulso</dt>
      <dd>{n(p.pulseFactorL, "L/pulso", 2)}</dd>
      <dt>Intervalo esperado</dt>
      <dd>{p.expectedIntervalMin} min</dd>
      <dt>Estado</dt>
      <dd>{label("status", p.status)}</dd>
      <dt>Actualizado</dt>
      <dd>{formatDateTime(p.updatedAt)}</dd>
    </dl>
  );
}
