"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { useSubscription } from "@trpc/tanstack-react-query";
import { useConnection, type Connection } from "~/components/session/connection";
import { useTRPC } from "~/components/trpc/react";
import type { SessionEvent } from "~/server/stream/session-event";
import { applyBatch, initialLive, type LiveState } from "./fold";

// Events arrive far faster than a screen refreshes (a long run sends thousands a second):
// queue them and fold one batch per frame-ish tick.
const FLUSH_MS = 32;

/**
 * The live state of a session's whole tree: a snapshot first, then every event, folded in the
 * browser. On a dropped connection the subscription link resumes from the last event id it saw
 * (the server replays exactly what was missed, or sends a fresh snapshot).
 */
export function useSessionStream(sessionId: string): { live: LiveState; connection: Connection; retry: () => void } {
  const trpc = useTRPC();
  const [live, setLive] = useState<LiveState>(initialLive);
  const queue = useRef<SessionEvent[]>([]);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const tracker = useConnection();

  const flush = useCallback(() => {
    timer.current = undefined;
    const batch = queue.current;
    queue.current = [];
    if (batch.length) setLive((prev) => applyBatch(prev, batch));
  }, []);

  useEffect(() => () => clearTimeout(timer.current), []);

  const subscription = useSubscription(
    trpc.session.events.subscriptionOptions(
      { sessionId, lastEventId: null },
      {
        onData: (envelope) => {
          // A message is a chunk of consecutive events (its id is the last one's seq).
          queue.current.push(...envelope.data);
          tracker.received();
          timer.current ??= setTimeout(flush, FLUSH_MS);
        },
        onConnectionStateChange: tracker.onConnectionStateChange,
      },
    ),
  );

  const connection = tracker.connectionOf(subscription.status, live.tree !== null);
  return { live, connection, retry: subscription.reset };
}
