import { HydrationBoundary, dehydrate } from "@tanstack/react-query";
import { principalCan } from "@/domain/auth/permissions";
import { getQueryClient, serverClientChoice } from "@/server/trpc/server";
import { OverviewView } from "@/components/overview/overview-view";

export const dynamic = "force-dynamic";

/** A chosen client's headline numbers (points by state, extraction, open alerts) come with the page, prefetched on the server. */
export default async function OverviewPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { clientId, principal, trpc, hasModule } = await serverClientChoice(await searchParams);
  const qc = getQueryClient();
  if (clientId && hasModule("telemetry", clientId) && principalCan(principal, "measurements:read", clientId)) {
    await qc.prefetchQuery(trpc.analytics.overview.queryOptions({ clientId }));
  }
  return (
    <HydrationBoundary state={dehydrate(qc)}>
      <OverviewView />
    </HydrationBoundary>
  );
}
