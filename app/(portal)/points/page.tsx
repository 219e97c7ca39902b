"use client";
import { useQuery } from "@tanstack/react-query";
import { useSearchParams } from "next/navigation";
import { Suspense, useState } from "react";
import { useTRPC } from "@/app/providers";
import { label } from "@/domain/labels";
import { formatNumber } from "@/domain/format";

function PointsTable() {
  const trpc = useTRPC();
  const params = useSearchParams();
  const clientId = params.get("clientId") ? Number(params.get("clientId")) : undefined;
  const [q, setQ] = useState("");
  const points = useQuery(trpc.points.list.queryOptions({ clientId, q: q || undefined }));
  return (
    <>
      <div className="topbar">
        <h1>Puntos de captación</h1>
        <div style={{ minWidth: 260 }}>
          <label htmlFor="q">Buscar</label>
          <input id="q" placeholder="Nombre o código de obra" value={q} onChange={(e) => setQ(e.target.value)} />
        </div>
      </div>
      {points.error && <p role="alert" className="error">{points.error.message}</p>}
      <table>
        <thead>
          <tr><th>Nombre</th><th>Cliente</th><th>Código de obra</th><th>Tipo</th><th>Estándar</th><th className="num">Caudal otorgado (L/s)</th><th>Proveedor</th><th>DGA</th></tr>
        </thead>
        <tbody>
          {points.isLoading && <tr><td colSpan={8}>Cargando…</td></tr>}
          {points.data?.map((p) => (
            <tr key={p.id} data-testid="point-row">
              <td>{p.name}</td>
              <td>{p.client.name}</td>
              <td>{p.obraCode ?? "—"}</td>
              <td>{label("kind", p.kind)}</td>
              <td>{label("standard", p.dgaStandard)}</td>
              <td className="num">{formatNumber(p.grantedFlowLps, 1)}</td>
              <td>{p.bindings.map((b) => label("provider", b.account.kind)).join(", ") || "—"}</td>
              <td><span className={`badge ${p.dgaTransport === "live" ? "ok" : p.dgaTransport === "shadow" ? "warn" : ""}`}>{label("transport", p.dgaTransport)}</span></td>
            </tr>
          ))}
          {points.data?.length === 0 && <tr><td colSpan={8}>Sin puntos.</td></tr>}
        </tbody>
      </table>
    </>
  );
}

export default function PointsPage() {
  return <Suspense fallback={<p>Cargando…</p>}><PointsTable /></Suspense>;
}
