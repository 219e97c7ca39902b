import { Suspense } from "react";
import { HydrationBoundary, dehydrate } from "@tanstack/react-query";
import { principalCan } from "@/domain/auth/permissions";
import { presetRange } from "@/domain/ui/chart";
import { getQueryClient, portalPrincipal, serverTrpc } from "@/server/trpc/server";
import { RequireScope } from "@/components/ui/page";
import { Loading } from "@/components/ui/states";
import { PointDetail } from "@/components/point/point-detail";
import { DEFAULT_PRESET, consumptionInput, historyInput } from "@/components/point/queries";

export const dynamic = "force-dynamic";

/**
 * Prefetches on the server what the point page shows first — the point, its latest values, the
 * default history range and its consumption — through the same tRPC procedures (one tenant check),
 * and streams it with the page: the browser renders the charts without a request of its own.
 * Queries the user may not run are skipped; a refused or missing point is left to the client,
 * which asks again and shows "Punto no encontrado".
 */
async function Prefetched({ id }: { id: number }) {
  const now = new Date();
  const qc = getQueryClient();
  const [trpc, principal] = await Promise.all([serverTrpc(), portalPrincipal()]);
  const [point, clients] = await Promise.all([
    qc.fetchQuery(trpc.points.get.queryOptions({ id })).catch(() => null),
    qc.fetchQuery(trpc.clients.list.queryOptions({})).catch(() => []),
  ]);
  const modules = new Set(
    clients
      .find((c) => c.id === point?.clientId)
      ?.modules.filter((m) => m.enabled)
      .map((m) => m.module as string) ?? [],
  );
  if (point && modules.has("telemetry") && principalCan(principal, "measurements:read", point.clientId)) {
    const { from, to } = presetRange(DEFAULT_PRESET, now);
    await Promise.all([
      qc.prefetchQuery(trpc.analytics.realtime.queryOptions({ id })),
      qc.prefetchQuery(trpc.analytics.history.queryOptions(historyInput(id, from, to))),
      qc.prefetchQuery(trpc.analytics.consumption.queryOptions(consumptionInput(point.clientId, id, from, to))),
    ]);
  }
  return (
    <HydrationBoundary state={dehydrate(qc)}>
      <PointDetail id={id} initialNow={now} />
    </HydrationBoundary>
  );
}

export default async function PointPage({ params }: { params: Promise<{ id: string }> }) {
  const n = Number((await params).id);
  if (!Number.isInteger(n) || n <= 0 || n > 2_147_483_647)
    return (
      <div className="card" role="alert" data-testid="not-found">
        <h1>Punto no encontrado</h1>
      </div>
    );
  return (
    <RequireScope scope="points:read">
      <Suspense fallback={<Loading what="punto" />}>
        <Prefetched id={n} />
      </Suspense>
    </RequireScope>
  );
}
