"use client";

import Link from "next/link";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import { useTRPC } from "~/components/trpc/react";
import { useAttentionIcon, useAttentionTitle, useNotices } from "./use-attention";

/**
 * On every page: how many requests wait (a link to them on the dashboard), in the nav, the tab
 * title and the icon, and the notifications. The one reader of the change feed for the layer:
 * every notice re-reads it, for this and for the dashboard's panel.
 */
export function NeedsYouNav() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  useSubscription(
    trpc.session.changes.subscriptionOptions(undefined, {
      onData: () => void queryClient.invalidateQueries(trpc.session.needsYou.pathFilter()),
    }),
  );
  const { data } = useQuery(trpc.session.needsYou.queryOptions());
  const waiting = data?.waiting.length ?? 0;
  useAttentionTitle(waiting);
  useAttentionIcon(waiting);
  useNotices(data);
  if (waiting === 0) return null;
  return (
    <Link
      href="/#needs-you"
      data-testid="needs-you-count"
      className="rounded-full bg-amber-100 px-2.5 py-0.5 text-xs font-semibold text-amber-900 ring-1 ring-amber-300 hover:bg-amber-200"
    >
      {waiting} waiting for you
    </Link>
  );
}
