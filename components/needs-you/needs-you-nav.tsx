"use client";

import { AppLink } from "~/components/layout/app-link";
import { useQuery } from "@tanstack/react-query";
import { useCan } from "~/components/auth/use-me";
import { useTRPC } from "~/components/trpc/react";
import { useAttentionIcon, useAttentionTitle, useNotices } from "./use-attention";

// Read every few seconds rather than on the change feed: a stream of its own on every page would
// take one of the browser's six connections to this server, and a session page already holds
// two or three (the two tabs of a worktree test stalled on it). The dashboard, which listens to
// the feed for its list, re-reads this at once on each notice (use-session-changes.ts).
const EVERY_MS = 5_000;

/**
 * On every page: how many requests wait (a link to them on the dashboard), in the nav, the tab
 * title and the icon, and the notifications.
 */
export function NeedsYouNav() {
  const trpc = useTRPC();
  const { data } = useQuery({ ...trpc.session.needsYou.queryOptions(), refetchInterval: EVERY_MS, refetchIntervalInBackground: true });
  const waiting = data?.waiting.length ?? 0;
  // A viewer cannot answer: the count says who can.
  const canAnswer = useCan("operator");
  useAttentionTitle(waiting);
  useAttentionIcon(waiting);
  useNotices(data);
  if (waiting === 0) return null;
  return (
    <AppLink
      href="/#needs-you"
      data-testid="needs-you-count"
      className="rounded-full bg-amber-100 px-2.5 py-0.5 text-xs font-semibold text-amber-900 ring-1 ring-amber-300 hover:bg-amber-200"
    >
      {waiting} waiting for {canAnswer ? "you" : "an operator"}
    </AppLink>
  );
}
