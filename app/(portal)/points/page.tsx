import { HydrationBoundary, dehydrate } from "@tanstack/react-query";
import { principalCan } from "@/domain/auth/permissions";
import { getQueryClient, serverClientChoice } from "@/server/trpc/server";
import { PointsPage } from "@/components/points/points-view";

export const dynamic = "force-dynamic";

/**
 * The point list comes with the page (prefetched on the server with the browser's client choice);
 * latest values and states load right after in the browser, so the table never waits for them.
 */
export default async function Points({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { clientId, principal, trpc } = await serverClientChoice(await searchParams);
  const qc = getQueryClient();
  if (principalCan(principal, "points:read", clientId))
    await qc.prefetchQuery(trpc.points.list.queryOptions(clientId ? { clientId } : {}));
  return (
    <HydrationBoundary state={dehydrate(qc)}>
      <PointsPage />
    </HydrationBoundary>
  );
}
