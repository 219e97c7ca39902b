import { HydrationBoundary, dehydrate } from "@tanstack/react-query";
import { principalCan } from "@/domain/auth/permissions";
import { santiagoDay } from "@/domain/analytics/period";
import { getQueryClient, serverClientChoice } from "@/server/trpc/server";
import { ReportsView } from "@/components/reports/reports-view";

export const dynamic = "force-dynamic";

/** The report list comes with the page (prefetched on the server for the client the browser will show). */
export default async function ReportsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const choice = await serverClientChoice(await searchParams);
  const { principal, trpc, hasModule } = choice;
  const all = !!principal.staffRole && choice.clientId == null;
  const clientId = choice.effectiveClientId;
  const qc = getQueryClient();
  if (all) {
    // Staff with "Todos los clientes": the month summary per client (same default month as the browser's).
    if (principalCan(principal, "reports:read", null))
      await qc.prefetchQuery(trpc.reports.clientsMonth.queryOptions({ month: santiagoDay(new Date()).slice(0, 7) }));
  } else if (clientId && hasModule("reports", clientId) && principalCan(principal, "reports:read", clientId)) {
    await qc.prefetchQuery(trpc.reports.list.queryOptions({ clientId, limit: 50, offset: 0 }));
  }
  return (
    <HydrationBoundary state={dehydrate(qc)}>
      <ReportsView />
    </HydrationBoundary>
  );
}
