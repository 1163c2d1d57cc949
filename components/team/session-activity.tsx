"use client";

import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "~/components/trpc/react";
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "~/server/api/root";
import { AuditLog } from "./audit-log";

/** How often an open panel reads the session's activity again. */
const WHILE_OPEN_MS = 10_000;

/**
 * A session's team activity, folded: rendered with the page (readable without JavaScript), and
 * read again when opened and while it stays open, so what teammates did since shows up.
 */
export function SessionActivity({ sessionId, initial }: { sessionId: string; initial: inferRouterOutputs<AppRouter>["session"]["audit"] }) {
  const trpc = useTRPC();
  const [open, setOpen] = useState(false);
  const rows = useQuery({
    ...trpc.session.audit.queryOptions({ sessionId }),
    initialData: initial,
    enabled: open,
    refetchOnMount: false,
    refetchInterval: open ? WHILE_OPEN_MS : false,
  }).data;
  return (
    <details className="mt-4 rounded-lg border border-slate-200 bg-white p-3" data-testid="team-activity" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary className="cursor-pointer text-sm font-medium text-slate-700">Team activity ({rows.length})</summary>
      <div className="mt-2">
        <AuditLog rows={rows} />
      </div>
    </details>
  );
}
