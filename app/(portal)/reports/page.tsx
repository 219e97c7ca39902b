import { HydrationBoundary, dehydrate } from "@tanstack/react-query";
import { principalCan } from "@/domain/auth/permissions";
import { getQueryClient, serverClientChoice } from "@/server/trpc/server";
import { ReportsView } from "@/components/reports/reports-view";

export const dynamic = "force-dynamic";

/** The report list comes with the page (prefetched on the server for the client the browser will show). */
export default async function ReportsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { effectiveClientId: clientId, principal, trpc, hasModule } = await serverClientChoice(await searchParams);
  const qc = getQueryClient();
  if (clientId && hasModule("reports", clientId) && principalCan(principal, "reports:read", clientId)) {
    await qc.prefetchQuery(trpc.reports.list.queryOptions({ clientId, limit: 50, offset: 0 }));
  }
  return (
    <HydrationBoundary state={dehydrate(qc)}>
      <ReportsView />
    </HydrationBoundary>
  );
}
