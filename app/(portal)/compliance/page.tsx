"use client";
import { useQuery } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { useTRPC } from "@/trpc/react";
import { useScope } from "@/components/shell/scope";
import { PageHeader, RequireScope } from "@/components/ui/page";
import { Loading } from "@/components/ui/states";
import { Tabs, TabPanel } from "@/components/ui/tabs";
import { ComplianceCalendar } from "@/components/compliance/calendar";
import { ReviewQueue } from "@/components/compliance/review-queue";
import { Receipts } from "@/components/compliance/receipts";
import { TransportTable } from "@/components/compliance/transport";
import { monthLabelEs } from "@/domain/analytics/period";
import { MonthStepper } from "@/components/ui/month-stepper";

type Tab = "calendar" | "review" | "receipts" | "transport";
/** The current month on the DGA clock (fixed UTC-4). */
const dgaMonth = () => new Date(Date.now() - 4 * 3_600_000).toISOString().slice(0, 7);

function Compliance() {
  const trpc = useTRPC();
  const { effectiveClientId: clientId, can, hasModule, clients } = useScope();
  const [tab, setTab] = useState<Tab>("calendar");
  const [month, setMonth] = useState(dgaMonth);
  const [pointId, setPointId] = useState<number | null>(null);
  const points = useQuery({ ...trpc.points.list.queryOptions({ clientId: clientId ?? 0 }), enabled: !!clientId });
  const names = useMemo(() => new Map((points.data ?? []).map((p) => [p.id, p.name])), [points.data]);
  const review = useQuery({
    ...trpc.compliance.reviewQueue.queryOptions({ clientId: clientId ?? 0 }),
    enabled: !!clientId && hasModule("dga"),
  });

  if (!clientId) return <Loading what="clientes" />;
  if (!hasModule("dga"))
    return (
      <>
        <PageHeader title="Cumplimiento DGA" />
        <p className="notice">
          El cliente {clients.find((c) => c.id === clientId)?.name} no tiene contratado el módulo DGA.
        </p>
      </>
    );
  const tabs: { key: Tab; label: string }[] = [
    { key: "calendar", label: "Calendario" },
    { key: "review", label: `Revisión${review.data ? ` (${review.data.length})` : ""}` },
    { key: "receipts", label: "Comprobantes" },
    ...(can("compliance:operate") ? [{ key: "transport" as const, label: "Transporte" }] : []),
  ];
  return (
    <>
      <PageHeader
        title="Cumplimiento DGA"
        subtitle={`${clients.find((c) => c.id === clientId)?.name ?? ""} · reportes horarios a la DGA (hora fija UTC-4)`}
      >
        <div>
          <span className="label">Mes</span>
          <MonthStepper value={month} max={dgaMonth()} onChange={setMonth} />
        </div>
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
      </PageHeader>
      <Tabs tabs={tabs} value={tab} onChange={setTab} label="Secciones de cumplimiento" />
      <TabPanel id={tab}>
        {tab === "calendar" && (
          <section aria-label={`Calendario de ${monthLabelEs(month)}`}>
            <ComplianceCalendar clientId={clientId} month={month} pointId={pointId} pointNames={names} />
          </section>
        )}
        {tab === "review" && <ReviewQueue clientId={clientId} canReview={can("compliance:review")} />}
        {tab === "receipts" && <Receipts clientId={clientId} month={month} pointId={pointId} />}
        {tab === "transport" && points.data && <TransportTable points={points.data} />}
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
