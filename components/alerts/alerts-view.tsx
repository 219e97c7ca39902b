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

type Tab = "alerts" | "inbox" | "rules";

function Alerts() {
  const { effectiveClientId: clientId, can, hasModule, clients } = useScope();
  const { live } = useLiveStream(clientId);
  const anomalies = hasModule("alerts") && can("alerts:read");
  const [tab, setTab] = useState<Tab | null>(null);
  if (!clientId) return <Loading what="clientes" />;
  const tabs: { key: Tab; label: string }[] = [
    ...(anomalies ? [{ key: "alerts" as const, label: "Alertas" }] : []),
    { key: "inbox", label: "Notificaciones" },
    { key: "rules", label: "Reglas de notificación" },
  ];
  const current = tab && tabs.some((t) => t.key === tab) ? tab : tabs[0]!.key;
  return (
    <>
      <PageHeader title="Alertas" subtitle={clients.find((c) => c.id === clientId)?.name}>
        {anomalies && <LiveBadge live={live} />}
      </PageHeader>
      <Tabs tabs={tabs} value={current} onChange={setTab} label="Secciones de alertas" />
      <TabPanel id={current}>
        {current === "alerts" && <AnomalyList clientId={clientId} live={live} />}
        {current === "inbox" && <Inbox clientId={clientId} />}
        {current === "rules" && <RulesEditor clientId={clientId} canWrite={can("notifications:write")} />}
      </TabPanel>
    </>
  );
}

/** Anomalies, notification inbox and notification rules of the chosen client. */
export function AlertsView() {
  return (
    <RequireScope scope="notifications:read">
      <Alerts />
    </RequireScope>
  );
}
