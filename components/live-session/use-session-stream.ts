"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { useSubscription } from "@trpc/tanstack-react-query";
import { useConnection, type Connection } from "~/components/session/connection";
import { useTRPC } from "~/components/trpc/react";
import type { SessionEvent } from "~/server/stream/session-event";
import { applyBatch, initialLive, type LiveState } from "./fold";

// A screen shows one frame per ~16 ms: an update right after the last one waits for the next
// frame, with whatever else arrives meanwhile, instead of re-rendering per message.
const FRAME_MS = 16;

/**
 * The live state of a session's whole tree: a snapshot first, then every event, folded in the
 * browser. On a dropped connection the subscription link resumes from the last event id it saw
 * (the server replays exactly what was missed, or sends a fresh snapshot).
 */
export function useSessionStream(sessionId: string): { live: LiveState; connection: Connection; retry: () => void } {
  const trpc = useTRPC();
  const [live, setLive] = useState<LiveState>(initialLive);
  const queue = useRef<SessionEvent[]>([]);
  const frame = useRef<number | undefined>(undefined);
  const appliedAt = useRef(Number.NEGATIVE_INFINITY);
  const tracker = useConnection();

  const flush = useCallback(() => {
    frame.current = undefined;
    appliedAt.current = performance.now();
    const batch = queue.current;
    queue.current = [];
    if (batch.length) setLive((prev) => applyBatch(prev, batch));
  }, []);

  useEffect(() => () => cancelAnimationFrame(frame.current ?? 0), []);

  const subscription = useSubscription(
    trpc.session.events.subscriptionOptions(
      { sessionId, lastEventId: null },
      {
        onData: (envelope) => {
          // A message is a chunk of consecutive events (its id is the last one's seq).
          queue.current.push(...envelope.data);
          tracker.received();
          // Idle: shown at once. Under load: batched into the next animation frame.
          if (frame.current === undefined && performance.now() - appliedAt.current >= FRAME_MS) flush();
          else frame.current ??= requestAnimationFrame(flush);
        },
        onConnectionStateChange: tracker.onConnectionStateChange,
      },
    ),
  );

  const connection = tracker.connectionOf(subscription.status, live.tree !== null);
  return { live, connection, retry: subscription.reset };
}
