import { HydrationBoundary, dehydrate } from "@tanstack/react-query";
import { principalCan } from "@/domain/auth/permissions";
import { getQueryClient, serverClientChoice } from "@/server/trpc/server";
import { AlertsView } from "@/components/alerts/alerts-view";
import { anomaliesInput } from "@/components/alerts/queries";

export const dynamic = "force-dynamic";

/** The first page of open alerts comes with the page (prefetched on the server for the client, or all clients, the browser will show). */
export default async function AlertsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const choice = await serverClientChoice(await searchParams);
  const { principal, trpc, hasModule } = choice;
  // Staff with "Todos los clientes" see one list across clients (the server filters by tenant and module).
  const all = !!principal.staffRole && choice.clientId == null;
  const clientId = all ? null : choice.effectiveClientId;
  const qc = getQueryClient();
  const allowed = all
    ? principalCan(principal, "alerts:read", null)
    : clientId != null &&
      hasModule("alerts", clientId) &&
      principalCan(principal, "alerts:read", clientId) &&
      principalCan(principal, "notifications:read", clientId);
  if (allowed) {
    await qc.prefetchQuery(
      trpc.analytics.anomalies.queryOptions(anomaliesInput(clientId, { state: "open", offset: 0 })),
    );
  }
  return (
    <HydrationBoundary state={dehydrate(qc)}>
      <AlertsView />
    </HydrationBoundary>
  );
}
