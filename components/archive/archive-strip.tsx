"use client";

import { AppLink } from "~/components/layout/app-link";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "~/components/trpc/react";
import type { SessionView } from "~/server/archive/view";
import { ArchiveState } from "./archive-state";
import { SyncForm } from "./archive-actions";

/**
 * Above the live view: the tree's archive state, a sync button and the read-only view. The state
 * changes while the page is open (the live path writes, a sync ends), so it is read again every
 * 5 s, as the session's runner facts are (a change-feed stream per page would use up the browser's
 * connections across tabs).
 */
export function ArchiveStrip({ sessionId, state, canSync }: { sessionId: string; state: SessionView["state"]; canSync: boolean }) {
  const trpc = useTRPC();
  const status = useQuery({ ...trpc.archive.status.queryOptions({ sessionId }), refetchInterval: 5_000 });
  const now = status.data ?? state;
  return (
    <div className="mb-2 flex flex-wrap items-center gap-3" data-testid="archive-strip">
      <ArchiveState state={now.state} error={now.error} lastArchivedAt={now.lastArchivedAt} />
      {canSync && <SyncForm sessionId={sessionId} />}
      <AppLink href={`/sessions/${sessionId}?view=archive`} className="text-xs text-sky-700 hover:underline">
        Read-only archive view
      </AppLink>
      <AppLink href={`/sessions/${sessionId}/traces`} className="text-xs text-sky-700 hover:underline" data-testid="traces-link">
        Traces
      </AppLink>
    </div>
  );
}
