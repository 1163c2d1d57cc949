"use client";

import { useEffect, useState } from "react";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useTRPC } from "~/components/trpc/react";
import type { NavPage } from "~/components/layout/nav";
import { paletteResults } from "./results";

const RECENT = 5;
const MATCHES = 8;

/**
 * The palette's results for what is typed: pages and runners matched here, sessions by the
 * server's title search (asked after a pause in typing; the previous answer stays listed,
 * narrowed to what still matches, until the next arrives).
 */
export function usePaletteResults(query: string, pages: NavPage[]) {
  const trpc = useTRPC();
  const [search, setSearch] = useState(query.trim());
  useEffect(() => {
    const timer = setTimeout(() => setSearch(query.trim()), 150);
    return () => clearTimeout(timer);
  }, [query]);

  const sessions = useQuery({
    ...trpc.session.list.queryOptions({ search: search || undefined, limit: search ? MATCHES : RECENT }),
    placeholderData: keepPreviousData,
  });
  const runners = useQuery(trpc.runner.list.queryOptions());
  const items = paletteResults(query, { pages, sessions: sessions.data?.items ?? [], runners: runners.data ?? [] });
  const searching = search !== query.trim() || sessions.isFetching;
  return { items, searching, error: sessions.error ?? runners.error };
}
