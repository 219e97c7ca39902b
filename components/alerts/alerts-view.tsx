"use client";
import { useState } from "react";
import { useScope } from "@/components/shell/scope";
import { PageHeader, RequireScope } from "@/components/ui/page";
import { Loading } from "@/components/ui/states";
import { Tabs, TabPanel } from "@/components/ui/tabs";
import { LiveBadge, useLiveStream } from "@/components/live/live";
import { AnomalyList } from "@/components/alerts/anomaly-list";
import { RulesEditor } from "@/components/alerts/rules-editor";
import { Inbox } from "@/components/alerts/inbox";
import { PickClient } from "@/components/shell/pick-client";

type Tab = "alerts" | "inbox" | "rules";

function Alerts() {
  const { clientId: chosen, effectiveClientId, isStaff, can, hasModule, clients, clientsLoading } = useScope();
  // Staff with "Todos los clientes": one alert list across clients; notifications and rules stay per client.
  const allClients = isStaff && chosen == null;
  const clientId = allClients ? null : effectiveClientId;
  const { live } = useLiveStream(clientId);
  const anomalies =
    can("alerts:read") && (allClients ? clients.some((c) => c.modules.includes("alerts")) : hasModule("alerts"));
  const [tab, setTab] = useState<Tab | null>(null);
  if (allClients ? clientsLoading : !clientId) return <Loading what="clientes" />;
  const tabs: { key: Tab; label: string }[] = [
    ...(anomalies ? [{ key: "alerts" as const, label: "Alertas" }] : []),
    { key: "inbox", label: "Notificaciones" },
    { key: "rules", label: "Reglas de notificación" },
  ];
  const current = tab && tabs.some((t) => t.key === tab) ? tab : tabs[0]!.key;
  const subtitle = allClients ? "Todos los clientes" : clients.find((c) => c.id === clientId)?.name;
  return (
    <>
      <PageHeader title="Alertas" subtitle={subtitle}>
        {anomalies && <LiveBadge live={live} />}
      </PageHeader>
      <Tabs tabs={tabs} value={current} onChange={setTab} label="Secciones de alertas" />
      <TabPanel id={current}>
        {current === "alerts" && <AnomalyList clientId={clientId} live={live} />}
        {current !== "alerts" && !clientId && (
          <PickClient
            what={current === "inbox" ? "La bandeja de notificaciones" : "La lista de reglas de notificación"}
          />
        )}
        {current === "inbox" && clientId && <Inbox clientId={clientId} />}
        {current === "rules" && clientId && <RulesEditor clientId={clientId} canWrite={can("notifications:write")} />}
      </TabPanel>
    </>
  );
}

/** Anomalies, notification inbox and notification rules of the chosen client (anomalies of every client for staff with "Todos los clientes"). */
export function AlertsView() {
  return (
    <RequireScope scope="notifications:read">
      <Alerts />
    </RequireScope>
  );
}
