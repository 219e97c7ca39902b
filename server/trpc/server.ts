import { cookies } from "next/headers";
import { cache } from "react";
import { QueryClient } from "@tanstack/react-query";
import { createTRPCOptionsProxy } from "@trpc/tanstack-react-query";
import type { Principal } from "@/domain/auth/permissions";
import { chooseClient, parseClientCookie } from "@/domain/auth/client-choice";
import { getDb } from "@/server/db";
import { requirePortalPrincipal } from "@/server/auth/session";
import { appRouter } from "./root";
import { createInnerContext } from "./init";

/**
 * Server-side prefetch for portal pages: server components call the same tRPC procedures (so the
 * same operations and the one tenant check in run-operation.ts) and hand the results to the
 * browser's react-query cache with <HydrationBoundary state={dehydrate(getQueryClient())}>, so the
 * first paint has data instead of waiting for JavaScript and then for /api/trpc.
 * Everything here is per request (React cache): the layout and the page share one principal and one QueryClient.
 */
export const getQueryClient = cache(
  () => new QueryClient({ defaultOptions: { queries: { staleTime: 15_000, retry: false } } }),
);

/** The signed-in principal of this request (a redirect to /login when there is none); loaded once per request. */
export const portalPrincipal = cache((): Promise<Principal> => requirePortalPrincipal());

export const serverTrpc = cache(async () => {
  const principal = await portalPrincipal();
  return createTRPCOptionsProxy({
    ctx: createInnerContext(getDb(), principal),
    router: appRouter,
    queryClient: getQueryClient,
  });
});

/**
 * The client the portal shows for this request (URL ?clientId=, then the sh_client cookie), decided
 * exactly as the browser's scope decides it (domain/auth/client-choice.ts), so a server page can
 * prefetch the queries the browser will ask for.
 */
export async function serverClientChoice(searchParams: Record<string, string | string[] | undefined>) {
  const [principal, trpc, jar] = await Promise.all([portalPrincipal(), serverTrpc(), cookies()]);
  const clients = await getQueryClient()
    .fetchQuery(trpc.clients.list.queryOptions({}))
    .catch(() => []);
  const url = searchParams.clientId;
  const choice = chooseClient({
    urlClientId: typeof url === "string" ? url : null,
    cookieClientId: parseClientCookie(jar.get("sh_client")?.value),
    isStaff: !!principal.staffRole,
    memberships: principal.memberships,
    visibleClientIds: clients.map((c) => c.id),
  });
  const hasModule = (m: string, id: number | null) =>
    !!clients.find((c) => c.id === id)?.modules.some((x) => x.enabled && x.module === m);
  return { ...choice, principal, trpc, hasModule };
}
