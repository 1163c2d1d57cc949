import { AppLink } from "~/components/layout/app-link";
import { TRPCError } from "@trpc/server";
import { api } from "~/server/api/server-caller";
import { SearchForm } from "~/components/search/search-form";
import { SearchResults } from "~/components/search/search-results";
import { filtersFromParams } from "~/components/search/params";
import { hasFilters, SEARCH_FIELDS } from "~/server/search/input";
import { inputIssues } from "~/server/api/errors";

export const dynamic = "force-dynamic";

type Search = Promise<Record<string, string | string[] | undefined>>;

export default async function SearchPage({ searchParams }: { searchParams: Search }) {
  const params = await searchParams;
  const q = typeof params.q === "string" ? params.q.trim() : "";
  const cursor = typeof params.cursor === "string" ? params.cursor : undefined;
  const filters = filtersFromParams(params);
  const filtered = hasFilters(filters);
  const caller = await api();
  const [facets, result] = await Promise.all([
    caller.search.facets(),
    q || filtered
      ? caller.search.query({ q, filters, cursor }).then(
          (page) => ({ page }),
          (error: unknown) => {
            if (error instanceof TRPCError && error.code === "BAD_REQUEST") return { error: inputIssues(error, SEARCH_FIELDS) ?? error.message };
            throw error;
          },
        )
      : undefined,
  ]);
  const next = new URLSearchParams(Object.entries(params).flatMap(([k, v]) => (typeof v === "string" && k !== "cursor" ? [[k, v]] : [])));
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Search</h1>
      <SearchForm q={q} filters={filters} facets={facets} />
      {!result ? (
        <p className="text-sm text-slate-600">
          Searches every session tree you can read, live and archived, sub-agents included: titles, prompts, answers, reasoning, tool
          calls and their output, file paths and errors.
        </p>
      ) : "error" in result ? (
        <p role="alert" className="text-sm text-red-700">
          {result.error}
        </p>
      ) : result.page.trees.length === 0 ? (
        <p className="font-medium" data-testid="search-empty">
          {q ? `Nothing matches “${q}”${filtered ? " with these filters" : ""}.` : "No session tree matches these filters."}
        </p>
      ) : (
        <>
          {!q && <p className="text-sm text-slate-600">Session trees these filters keep, latest activity first. Type words to search inside them.</p>}
          <SearchResults page={result.page} q={q} />
          {result.page.nextCursor && (
            <AppLink href={`/search?${next}&cursor=${result.page.nextCursor}`} className="text-sm font-medium text-sky-800 hover:underline">
              More results
            </AppLink>
          )}
        </>
      )}
    </div>
  );
}
