"use client";

import { useState, type ReactNode } from "react";
import { MutationCache, QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createTRPCClient, httpBatchStreamLink, httpSubscriptionLink, isTRPCClientError, splitLink } from "@trpc/client";
import { createTRPCContext, createTRPCOptionsProxy } from "@trpc/tanstack-react-query";
import type { inferRouterOutputs } from "@trpc/server";
import superjson from "superjson";
import type { AppRouter } from "~/server/api/root";
import { MAX_BATCH_PROCEDURES } from "~/server/api/batch-limit";

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

// Every payload is parsed from the network for this one use: superjson may annotate it in place
// rather than deep-copy it first (a 10,000-part snapshot is 15 MB).
export const transformer = {
  serialize: (value: unknown) => superjson.serialize(value),
  deserialize: (payload: Parameters<typeof superjson.deserialize>[0]) => superjson.deserialize(payload, { inPlace: true }),
};

/**
 * An action refused for the caller's role (changed by an admin since the page loaded) reads the
 * caller again: the controls they can no longer use go at once, not at the next reload.
 */
function makeQueryClient(onRefused: () => void) {
  const mutationCache = new MutationCache({
    onError: (error) => {
      if (isTRPCClientError(error) && (error.data as { code?: string } | undefined)?.code === "FORBIDDEN") onRefused();
    },
  });
  return new QueryClient({ mutationCache, defaultOptions: { queries: { staleTime: 5_000 } } });
}

type Me = inferRouterOutputs<AppRouter>["account"]["me"];

/**
 * `me`: the signed-in caller the layout read. It seeds `account.me`, so controls that depend on
 * the caller's role (useCan) render the same on the server and in the browser's first render,
 * whenever that render happens: otherwise a fetch that ends mid-hydration shows the browser
 * controls the server did not render, and React discards the page's markup.
 */
export function TRPCReactProvider({ children, me }: { children: ReactNode; me?: Me }) {
  const [trpcClient] = useState(() =>
    createTRPCClient<AppRouter>({
      links: [
        // Subscriptions travel as SSE so they pass through any HTTP proxy and resume by event id.
        splitLink({
          condition: (op) => op.type === "subscription",
          true: httpSubscriptionLink({ url: "/api/trpc", transformer }),
          // Split below the server's cap on procedures per request, which it refuses past.
          false: httpBatchStreamLink({ url: "/api/trpc", transformer, maxItems: MAX_BATCH_PROCEDURES }),
        }),
      ],
    }),
  );
  const [queryClient] = useState(() => {
    const client: QueryClient = makeQueryClient(() => void client.invalidateQueries({ queryKey: meKey }));
    const meKey = createTRPCOptionsProxy<AppRouter>({ client: trpcClient, queryClient: client }).account.me.queryKey();
    if (me) client.setQueryData(meKey, me);
    return client;
  });
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        {children}
      </TRPCProvider>
    </QueryClientProvider>
  );
}
