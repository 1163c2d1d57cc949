"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "~/components/trpc/react";

/** What restoring `sessionId` to the prompt `messageId` would undo; asked only while `enabled`. */
export function useRevertPreview(input: { sessionId: string; messageId: string }, enabled: boolean) {
  const trpc = useTRPC();
  return useQuery({ ...trpc.session.revertPreview.queryOptions(input), enabled, staleTime: 0 });
}
