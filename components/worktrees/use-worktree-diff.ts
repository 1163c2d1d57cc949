"use client";

import { useCallback } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import { useOneAtATime } from "~/components/sessions/use-session-changes";
import { usePageShown } from "~/components/layout/use-page-shown";
import { useTRPC } from "~/components/trpc/react";
import type { AppRouter } from "~/server/api/root";
import type { inferRouterOutputs } from "@trpc/server";

export type WorktreeDiff = inferRouterOutputs<AppRouter>["worktree"]["diff"];

/**
 * The worktree's diff, read again whenever the server says the session's tree changed (an agent's
 * edit is a tool part the archive just stored): live without polling.
 */
export function useWorktreeDiff(sessionId: string, rootId: string, initial: WorktreeDiff | undefined) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const diff = useQuery({ ...trpc.worktree.diff.queryOptions({ sessionId }), initialData: initial, staleTime: Infinity, retry: false });
  const reread = useOneAtATime(useCallback(() => queryClient.invalidateQueries(trpc.worktree.diff.queryFilter({ sessionId })), [queryClient, trpc, sessionId]));
  // Let go in a tab left in the background (usePageShown); its first notice back (no root ids) reads the diff again.
  const shown = usePageShown();
  useSubscription(
    trpc.session.changes.subscriptionOptions(undefined, {
      enabled: shown,
      onData: ({ rootIds }) => {
        if (rootIds.length === 0 || rootIds.includes(rootId)) reread();
      },
    }),
  );
  return diff;
}
