"use client";

import { useMemo } from "react";
import { createTRPCClient, httpBatchStreamLink, httpSubscriptionLink, splitLink } from "@trpc/client";
import type { AppRouter } from "~/server/api/root";
import { MAX_BATCH_PROCEDURES } from "~/server/api/batch-limit";
import { transformer } from "~/components/trpc/react";
import { reconnectWatcher, type TraceSource } from "./source";

/**
 * The trace as a share link's reader gets it: `share.trace*` with the link's token (as a header
 * for queries, a connection parameter for the stream; never the visitor's cookie), redacted on
 * the server. Live: the link's `share.events` notices say the tree changed, and the view reads
 * the trace again (throttled there); they carry no content.
 */
export function useShareTraceSource(token: string, sessionId: string): TraceSource {
  return useMemo<TraceSource>(() => {
    const client = createTRPCClient<AppRouter>({
      links: [
        splitLink({
          condition: (op) => op.type === "subscription",
          true: httpSubscriptionLink({ url: "/api/trpc", transformer, connectionParams: { share: token } }),
          false: httpBatchStreamLink({ url: "/api/trpc", transformer, maxItems: MAX_BATCH_PROCEDURES, headers: { "x-flightdeck-share": token } }),
        }),
      ],
    });
    return {
      key: `share:${sessionId}`,
      spans: (cursor, limit) => client.share.traceSpans.query({ sessionId, cursor: cursor ?? undefined, limit }),
      summary: () => client.share.traceSummary.query({ sessionId }),
      span: (spanId) => client.share.traceSpan.query({ sessionId, spanId }),
      follow: ({ onStale, onState }) => {
        onState("connecting");
        const watcher = reconnectWatcher(onState, onStale);
        let first = true;
        const subscription = client.share.events.subscribe(
          { sessionId },
          {
            ...watcher,
            // The first notice comes on connecting: the trace read on mount is already current.
            onData: () => (first ? (first = false) : onStale()),
            onError: () => onState("closed"),
          },
        );
        return () => subscription.unsubscribe();
      },
      sessionHref: null,
    };
  }, [token, sessionId]);
}
