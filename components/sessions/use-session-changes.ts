"use client";

import { useCallback, useRef } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import { useConnection, type Connection } from "~/components/session/connection";
import { usePageShown } from "~/components/layout/use-page-shown";
import { useTRPC } from "~/components/trpc/react";

/**
 * Keeps the page's session lists current by push instead of polling: `session.changes` tells
 * when session trees changed (and once as soon as it listens, which covers whatever changed
 * while it did not: first load, reconnects), and every session list is read again.
 */
export function useSessionChanges(): { connection: Connection; retry: () => void } {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const tracker = useConnection();
  const reread = useOneAtATime(
    useCallback(
      () =>
        Promise.all([
          queryClient.invalidateQueries(trpc.session.list.pathFilter()),
          queryClient.invalidateQueries(trpc.session.needsYou.pathFilter()),
        ]),
      [queryClient, trpc],
    ),
  );
  // Let go in a tab left in the background (usePageShown); its first notice back reads it all.
  const shown = usePageShown();
  const subscription = useSubscription(
    trpc.session.changes.subscriptionOptions(undefined, {
      enabled: shown,
      onData: () => {
        tracker.received();
        reread();
      },
      onConnectionStateChange: tracker.onConnectionStateChange,
    }),
  );
  return { connection: tracker.connectionOf(subscription.status, true, subscription.error), retry: subscription.reset };
}

/**
 * Runs `task` now or, when it is already running, once more as soon as it ends. Never two at a
 * time: cancelling a read for the next notice could starve the list under a busy stream. And
 * never ending on a read that began before the last notice: that change would stay unseen.
 */
export function useOneAtATime(task: () => Promise<unknown>): () => void {
  const state = useRef({ running: false, again: false });
  return useCallback(() => {
    const s = state.current;
    if (s.running) {
      s.again = true;
      return;
    }
    s.running = true;
    void (async () => {
      try {
        do {
          s.again = false;
          await task();
        } while (s.again);
      } finally {
        s.running = false;
      }
    })();
  }, [task]);
}
