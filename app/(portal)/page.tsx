"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useTRPC } from "@/app/providers";
import { formatRut } from "@/domain/rut";
import { label } from "@/domain/labels";

export default function OverviewPage() {
  const trpc = useTRPC();
  const clients = useQuery(trpc.clients.list.queryOptions({}));
  return (
    <>
      <div className="topbar"><h1>Resumen</h1></div>
      {clients.isLoading && <p role="status">Cargando clientes…</p>}
      {clients.error && <p role="alert" className="error">{clients.error.message}</p>}
      <section className="grid" aria-label="Clientes">
        {clients.data?.map((c) => (
          <article key={c.id} className="card" data-testid="client-card">
            <h2 style={{ marginTop: 0 }}>{c.name}</h2>
            <p className="muted">RUT {formatRut(c.rut)}</p>
            <p><strong>{c._count.points}</strong> puntos de captación</p>
            <p>{c.modules.filter((m) => m.enabled).map((m) => <span key={m.module} className="badge" style={{ marginRight: 4 }}>{label("module", m.module)}</span>)}</p>
            <Link href={`/points?clientId=${c.id}`}>Ver puntos</Link>
          </article>
        ))}
      </section>
    </>
  );
}
