"use client";
import { useScope } from "@/components/shell/scope";
import { ComplianceMatrix } from "./matrix";
import { ReviewQueue } from "./review-queue";
export { PickClient } from "@/components/shell/pick-client";

/** Staff with "Todos los clientes": one section per client with the DGA module (each read is tenant-checked). */
export function AllClientsCompliance({ view, month }: { view: "matrix" | "review"; month: string }) {
  const { clients, can } = useScope();
  const dga = clients.filter((c) => c.modules.includes("dga"));
  if (dga.length === 0) return <p className="muted">Ningún cliente tiene contratado el módulo DGA.</p>;
  return (
    <div className="stack">
      {dga.map((c) => (
        <section key={c.id} className="stack" aria-labelledby={`cc-${c.id}`} data-testid="client-compliance">
          <h2 id={`cc-${c.id}`} style={{ marginBottom: 0 }}>
            {c.name}
          </h2>
          {view === "matrix" ? (
            <ComplianceMatrix clientId={c.id} month={month} />
          ) : (
            <ReviewQueue clientId={c.id} canReview={can("compliance:review")} />
          )}
        </section>
      ))}
    </div>
  );
}
