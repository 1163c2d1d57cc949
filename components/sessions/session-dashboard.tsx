"use client";

import { usePathname } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { useTRPC } from "~/components/trpc/react";
import { ConnectionIndicator } from "~/components/session/connection-indicator";
import { statusLabel, type DisplayStatus } from "~/components/session/status";
import { NewSessionForm } from "./new-session-form";
import { useCan } from "~/components/auth/use-me";
import { SessionTable } from "./session-table";
import { useSessionChanges } from "./use-session-changes";
import { DashboardMatches } from "~/components/search/dashboard-matches";
import { useSlashFocus } from "~/components/keyboard/use-slash-focus";
import { useShortcut } from "~/components/keyboard/use-shortcut";
import { moveFocus } from "~/components/keyboard/row-focus";

export type DashboardFilters = { status?: DisplayStatus; runnerId?: string; search?: string };

const STATUSES: DisplayStatus[] = ["running", "waiting", "idle", "stalled", "error", "gone"];

export function SessionDashboard({ initial }: { initial: DashboardFilters }) {
  const trpc = useTRPC();
  const pathname = usePathname();
  const [filters, setFilters] = useState<DashboardFilters>(initial);
  const [searchText, setSearchText] = useState(initial.search ?? "");
  const [creating, setCreating] = useState(false);
  const canOperate = useCan("operator");
  const searchBox = useRef<HTMLInputElement>(null);
  useSlashFocus(searchBox);
  const table = useRef<HTMLDivElement>(null);
  const rowLinks = () => [...(table.current?.querySelectorAll<HTMLElement>("[data-row-link]") ?? [])];
  useShortcut("next", () => moveFocus(rowLinks(), document.activeElement, 1));
  useShortcut("previous", () => moveFocus(rowLinks(), document.activeElement, -1));
  useShortcut("escape", () => setCreating(false), creating);

  // Typing narrows the list after a pause, not on every key.
  useEffect(() => {
    const timer = setTimeout(() => setFilters((f) => ({ ...f, search: searchText.trim() || undefined })), 300);
    return () => clearTimeout(timer);
  }, [searchText]);

  // The filters live in the address too, so a filtered view can be shared or reloaded. Through
  // the History API (Next keeps its router in step), not router.replace: a replace that lands
  // while the reader is already following a link to a session would cancel that navigation.
  useEffect(() => {
    const params = new URLSearchParams();
    if (filters.status) params.set("status", filters.status);
    if (filters.runnerId) params.set("runner", filters.runnerId);
    if (filters.search) params.set("q", filters.search);
    const query = params.toString();
    const target = query ? `${pathname}?${query}` : pathname;
    if (window.location.pathname === pathname && `${window.location.pathname}${window.location.search}` !== target) {
      window.history.replaceState(window.history.state, "", target);
    }
  }, [filters, pathname]);

  // Poll faster while no runner serves (e.g. the embedded one is still starting).
  const runners = useQuery({
    ...trpc.runner.list.queryOptions(),
    refetchInterval: (q) => (q.state.data?.some((r) => r.status === "healthy") ? 10_000 : 2_000),
  });
  // Sessions change on the runners, not in this tab: the server says when (useSessionChanges),
  // so a list is fresh until told otherwise. No timer, no refetch on focus.
  const changes = useSessionChanges();
  const list = useInfiniteQuery({
    ...trpc.session.list.infiniteQueryOptions(
      { status: filters.status, runnerId: filters.runnerId, search: filters.search, limit: 50 },
      { getNextPageParam: (page) => page.nextCursor },
    ),
    staleTime: Infinity,
  });
  const sessions = list.data?.pages.flatMap((p) => p.items) ?? [];
  const filtered = Boolean(filters.status || filters.runnerId || filters.search);

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center gap-2">
        <input
          ref={searchBox}
          type="search"
          aria-label="Search sessions"
          placeholder="Search titles, prompts, output…"
          value={searchText}
          onChange={(e) => setSearchText(e.target.value)}
          className="w-64 rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm"
        />
        <select
          aria-label="Filter by status"
          value={filters.status ?? ""}
          onChange={(e) => setFilters((f) => ({ ...f, status: (e.target.value || undefined) as DisplayStatus | undefined }))}
          className="rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm"
        >
          <option value="">All on their runner</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {statusLabel[s]}
            </option>
          ))}
        </select>
        <select
          aria-label="Filter by runner"
          value={filters.runnerId ?? ""}
          onChange={(e) => setFilters((f) => ({ ...f, runnerId: e.target.value || undefined }))}
          className="rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm"
        >
          <option value="">All runners</option>
          {runners.data?.map((r) => (
            <option key={r.id} value={r.id}>
              {r.name}
            </option>
          ))}
        </select>
        <span className="flex-1" />
        <span title="The list updates as sessions change">
          <ConnectionIndicator connection={changes.connection} onRetry={changes.retry} />
        </span>
        {canOperate && <button
          type="button"
          onClick={() => setCreating((c) => !c)}
          aria-expanded={creating}
          className="rounded-md bg-slate-900 px-4 py-1.5 text-sm font-medium text-white hover:bg-slate-700"
        >
          {creating ? "Close" : "New session"}
        </button>}
      </div>
      {creating && canOperate && <NewSessionForm runners={runners.data ?? []} />}
      {filters.search && <DashboardMatches q={filters.search} />}
      {list.isPending ? (
        <p className="text-sm text-slate-500">Loading sessions…</p>
      ) : list.isError ? (
        <p className="text-sm text-red-700">Could not load sessions: {list.error.message}</p>
      ) : sessions.length === 0 ? (
        <div className="rounded-lg border border-dashed border-slate-300 bg-white p-10 text-center">
          {filtered ? (
            <p className="font-medium">No sessions match these filters</p>
          ) : (
            <>
              <p className="font-medium">No sessions yet</p>
              <p className="mt-1 text-sm text-slate-500">
                Sessions you start on a runner appear here, live, with their sub-agents.
              </p>
            </>
          )}
        </div>
      ) : (
        <>
          <div ref={table}>
            <SessionTable sessions={sessions} canOperate={canOperate} />
          </div>
          <div className="flex items-center justify-between text-xs text-slate-500">
            <span>
              {sessions.length} session{sessions.length === 1 ? "" : "s"} shown
            </span>
            {list.hasNextPage && (
              <button
                type="button"
                onClick={() => list.fetchNextPage()}
                disabled={list.isFetchingNextPage}
                className="rounded-md bg-white px-3 py-1.5 text-sm text-slate-700 ring-1 ring-slate-300 hover:bg-slate-50"
              >
                {list.isFetchingNextPage ? "Loading…" : "Load more"}
              </button>
            )}
          </div>
        </>
      )}
    </div>
  );
}
