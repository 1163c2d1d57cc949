"use client";

import { AppLink } from "~/components/layout/app-link";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "~/components/trpc/react";
import { SearchResults } from "./search-results";

/** What the dashboard's search text finds inside conversations (the table below filters titles). */
export function DashboardMatches({ q }: { q: string }) {
  const trpc = useTRPC();
  const found = useQuery({ ...trpc.search.query.queryOptions({ q, limit: 5 }), staleTime: 30_000, retry: false });
  return (
    <section aria-label="Matches in conversations" data-testid="dashboard-matches" className="space-y-2 rounded-lg border border-slate-200 bg-slate-50 p-3">
      <div className="flex items-baseline justify-between gap-2">
        <h2 className="text-sm font-semibold text-slate-800">In conversations</h2>
        <AppLink href={`/search?${new URLSearchParams({ q })}`} className="text-sm font-medium text-sky-800 hover:underline">
          All results and filters
        </AppLink>
      </div>
      {found.isPending ? (
        <p className="text-sm text-slate-600">Searching…</p>
      ) : found.isError ? (
        <p className="text-sm text-red-700">{found.error.message}</p>
      ) : found.data.trees.length === 0 ? (
        <p className="text-sm text-slate-600">No prompt, answer or tool output contains “{q}”.</p>
      ) : (
        <SearchResults page={found.data} q={q} compact />
      )}
    </section>
  );
}
