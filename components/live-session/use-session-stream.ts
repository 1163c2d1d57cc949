"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { useSubscription } from "@trpc/tanstack-react-query";
import { useConnection, type Connection } from "~/components/session/connection";
import { usePageShown } from "~/components/layout/use-page-shown";
import { useTRPC, useTRPCClient } from "~/components/trpc/react";
import type { SessionEvent } from "~/server/stream/session-event";
import { applyBatch, initialLive, type LiveState } from "./fold";
import { firstShownTurn, mergeOlder } from "./window";

/** Loads what a windowed view of `member` (a session of the tree) lacks: a page, or all from a turn on. */
export type LoadOlder = (member: string, fromTurn?: number) => Promise<void>;

// A screen shows one frame per ~16 ms: an update right after the last one waits for the next
// frame, with whatever else arrives meanwhile, instead of re-rendering per message.
const FRAME_MS = 16;

/**
 * The live state of a session's whole tree: a snapshot first, then every event, folded in the
 * browser. On a dropped connection the subscription link resumes from the last event id it saw
 * (the server replays exactly what was missed, or sends a fresh snapshot). The snapshot holds
 * each session's latest parts; `loadOlder` pages in the rest.
 */
export function useSessionStream(sessionId: string): { live: LiveState; connection: Connection; retry: () => void; loadOlder: LoadOlder } {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const [live, setLive] = useState<LiveState>(initialLive);
  const liveRef = useRef(live);
  useEffect(() => void (liveRef.current = live), [live]);
  const loading = useRef<Promise<void> | undefined>(undefined);

  // One request at a time, each asking from the window as the previous one left it. A page asked
  // while one is on its way is that one (a scroll asks again and again); a jump to a turn waits
  // for it and then asks for what is still missing.
  const loadOlder = useCallback<LoadOlder>(
    function load(member, fromTurn): Promise<void> {
      if (loading.current) return fromTurn === undefined ? loading.current : loading.current.then(() => load(member, fromTurn));
      const view = liveRef.current.tree?.sessions[member];
      const before = view?.window?.partId;
      // A turn the view shows from its start (or one it does not have) needs nothing.
      if (!before || (fromTurn !== undefined && fromTurn > (firstShownTurn(view) ?? 0))) return Promise.resolve();
      const request = client.session.olderParts
        .query({ sessionId, member, before, fromTurn })
        .then((page) => {
          // The next request reads the window from here, before React renders this page.
          liveRef.current = mergeOlder(liveRef.current, page, before);
          setLive((prev) => mergeOlder(prev, page, before));
        })
        .finally(() => {
          if (loading.current === request) loading.current = undefined;
        });
      loading.current = request;
      return request;
    },
    [client, sessionId],
  );
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

  // A tab in the background lets its stream go; back in front it resumes from the last event it
  // had (exactly: what it missed, or a snapshot when that is too far behind).
  const shown = usePageShown();
  const lastEventId = useRef<string | null>(null);
  const [resumeFrom, setResumeFrom] = useState<string | null>(null);
  useEffect(() => {
    if (!shown) setResumeFrom(lastEventId.current);
  }, [shown]);
  const subscription = useSubscription(
    trpc.session.events.subscriptionOptions(
      { sessionId, lastEventId: resumeFrom },
      {
        enabled: shown,
        onData: (envelope) => {
          lastEventId.current = envelope.id;
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

  const connection = tracker.connectionOf(subscription.status, live.tree !== null, subscription.error);
  return { live, connection, retry: subscription.reset, loadOlder };
}
