import { HydrationBoundary, dehydrate } from "@tanstack/react-query";
import { principalCan } from "@/domain/auth/permissions";
import { getQueryClient, serverClientChoice } from "@/server/trpc/server";
import { AlertsView } from "@/components/alerts/alerts-view";
import { anomaliesInput } from "@/components/alerts/queries";

export const dynamic = "force-dynamic";

/** The first page of open alerts comes with the page (prefetched on the server for the client the browser will show). */
export default async function AlertsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { effectiveClientId: clientId, principal, trpc, hasModule } = await serverClientChoice(await searchParams);
  const qc = getQueryClient();
  if (
    clientId &&
    hasModule("alerts", clientId) &&
    principalCan(principal, "alerts:read", clientId) &&
    principalCan(principal, "notifications:read", clientId)
  ) {
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
