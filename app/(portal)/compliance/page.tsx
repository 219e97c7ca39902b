"use client";
import { useQuery } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { useTRPC } from "@/trpc/react";
import { useScope } from "@/components/shell/scope";
import { PageHeader, RequireScope } from "@/components/ui/page";
import { Loading } from "@/components/ui/states";
import { Tabs, TabPanel } from "@/components/ui/tabs";
import { ComplianceCalendar } from "@/components/compliance/calendar";
import { ComplianceMatrix } from "@/components/compliance/matrix";
import { AllClientsCompliance, PickClient } from "@/components/compliance/all-clients";
import { ReviewQueue } from "@/components/compliance/review-queue";
import { Receipts } from "@/components/compliance/receipts";
import { TransportTable } from "@/components/compliance/transport";
import { monthLabelEs } from "@/domain/analytics/period";
import { MonthStepper } from "@/components/ui/month-stepper";

type Tab = "matrix" | "calendar" | "review" | "receipts" | "transport";
/** The current month on the DGA clock (fixed UTC-4). */
const dgaMonth = () => new Date(Date.now() - 4 * 3_600_000).toISOString().slice(0, 7);

function Compliance() {
  const trpc = useTRPC();
  const { clientId, isStaff, can, hasModule, clients, clientsLoading } = useScope();
  const [tab, setTab] = useState<Tab>("matrix");
  const [month, setMonth] = useState(dgaMonth);
  const [pointId, setPointId] = useState<number | null>(null);
  const all = isStaff && clientId == null;
  const dga = !!clientId && hasModule("dga", clientId);
  const points = useQuery({ ...trpc.points.list.queryOptions({ clientId: clientId ?? 0 }), enabled: !!clientId });
  const names = useMemo(() => new Map((points.data ?? []).map((p) => [p.id, p.name])), [points.data]);
  const review = useQuery({
    ...trpc.compliance.reviewQueue.queryOptions({ clientId: clientId ?? 0 }),
    enabled: dga,
  });

  if (clientsLoading || (!clientId && !all)) return <Loading what="clientes" />;
  const name = all ? "Todos los clientes" : (clients.find((c) => c.id === clientId)?.name ?? "");
  if (!all && !dga)
    return (
      <>
        <PageHeader title="Cumplimiento DGA" />
        <p className="notice">El cliente {name} no tiene contratado el módulo DGA.</p>
      </>
    );
  const tabs: { key: Tab; label: string }[] = [
    { key: "matrix", label: "Mes por punto" },
    { key: "calendar", label: "Calendario" },
    { key: "review", label: `Revisión${review.data ? ` (${review.data.length})` : ""}` },
    { key: "receipts", label: "Comprobantes" },
    ...(can("compliance:operate") ? [{ key: "transport" as const, label: "Transporte" }] : []),
  ];
  const onePoint = tab === "calendar" || tab === "receipts";
  return (
    <>
      <PageHeader title="Cumplimiento DGA" subtitle={`${name} · reportes horarios a la DGA (hora fija UTC-4)`}>
        <div>
          <span className="label">Mes</span>
          <MonthStepper value={month} max={dgaMonth()} onChange={setMonth} />
        </div>
        {!all && onePoint && (
          <div>
            <label htmlFor="c-point">Punto</label>
            <select
              id="c-point"
              value={pointId ?? ""}
              onChange={(e) => setPointId(e.target.value ? Number(e.target.value) : null)}
            >
              <option value="">Todos los puntos</option>
              {points.data?.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
          </div>
        )}
      </PageHeader>
      <Tabs tabs={tabs} value={tab} onChange={setTab} label="Secciones de cumplimiento" />
      <TabPanel id={tab}>
        {all ? (
          tab === "matrix" || tab === "review" ? (
            <AllClientsCompliance view={tab} month={month} />
          ) : (
            <PickClient
              what={
                tab === "calendar" ? "El calendario" : tab === "receipts" ? "La lista de comprobantes" : "El transporte"
              }
            />
          )
        ) : (
          <>
            {tab === "matrix" && (
              <section aria-label={`Cumplimiento de ${monthLabelEs(month)} por punto`}>
                <ComplianceMatrix clientId={clientId!} month={month} />
              </section>
            )}
            {tab === "calendar" && (
              <section aria-label={`Calendario de ${monthLabelEs(month)}`}>
                <ComplianceCalendar clientId={clientId!} month={month} pointId={pointId} pointNames={names} />
              </section>
            )}
            {tab === "review" && <ReviewQueue clientId={clientId!} canReview={can("compliance:review")} />}
            {tab === "receipts" && <Receipts clientId={clientId!} month={month} pointId={pointId} />}
            {tab === "transport" && points.data && <TransportTable points={points.data} />}
          </>
        )}
      </TabPanel>
    </>
  );
}

export default function Page() {
  return (
    <RequireScope scope="compliance:read">
      <Compliance />
    </RequireScope>
  );
}
