"use client";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createTRPCClient, httpBatchStreamLink } from "@trpc/client";
import { createTRPCContext } from "@trpc/tanstack-react-query";
import { useState } from "react";
import superjson from "superjson";
import type { AppRouter } from "@/server/trpc/root";
import { TRPC_MAX_BATCH } from "@/domain/limits";

const { TRPCProvider, useTRPC } = createTRPCContext<AppRouter>();
export { useTRPC };

/**
 * react-query + tRPC for the browser. Queries issued together still share one HTTP request, but
 * the answers stream back one by one (httpBatchStreamLink), so a fast query is not held back by a
 * slow one in the same batch. The session lives in a cookie; no client-side session provider is
 * needed (login and logout call next-auth/react's signIn/signOut directly).
 */
export function Providers({ children }: { children: React.ReactNode }) {
  const [queryClient] = useState(
    () => new QueryClient({ defaultOptions: { queries: { staleTime: 15_000, retry: 1 } } }),
  );
  const [trpcClient] = useState(() =>
    createTRPCClient<AppRouter>({
      links: [httpBatchStreamLink({ url: "/api/trpc", transformer: superjson, maxItems: TRPC_MAX_BATCH })],
    }),
  );
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        {children}
      </TRPCProvider>
    </QueryClientProvider>
  );
}
