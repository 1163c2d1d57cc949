"use client";

import { useMemo } from "react";
import { useTRPCClient } from "~/components/trpc/react";
import { reconnectWatcher, type TraceSource } from "./source";

/** The trace as a signed-in member reads it: `trace.*`, live upserts from `trace.live`. */
export function useTeamTraceSource(sessionId: string): TraceSource {
  const client = useTRPCClient();
  return useMemo<TraceSource>(
    () => ({
      key: `team:${sessionId}`,
      spans: (cursor, limit) => client.trace.spans.query({ sessionId, cursor: cursor ?? undefined, limit }),
      summary: () => client.trace.summary.query({ sessionId }),
      span: (spanId) => client.trace.span.query({ sessionId, spanId }),
      follow: ({ onSpans, onStale, onState }) => {
        onState("connecting");
        const watcher = reconnectWatcher(onState, onStale);
        const subscription = client.trace.live.subscribe(
          { sessionId },
          {
            ...watcher,
            onData: (message) => onSpans(payload(message).spans),
            onError: () => onState("closed"),
          },
        );
        return () => subscription.unsubscribe();
      },
      sessionHref: (id) => `/sessions/${id}`,
    }),
    [client, sessionId],
  );
}

/** A tracked message (`{ id, data }`) or the value itself. */
function payload<T extends object>(message: T | { id: string; data: T }): T {
  return "data" in message && "id" in message ? (message as { data: T }).data : (message as T);
}
