import type { SearchFilters } from "~/server/search/input";
import type { SearchMatch } from "~/server/search/search";
import { turnAnchor } from "~/components/lineage/turn-anchor";
import { parseSearchQuery, type SearchTerm } from "~/server/search/query-text";

type Params = Record<string, string | string[] | undefined>;

/** The address of a search: `q`, the filters (empty fields left out) and the page. */
export const FILTER_KEYS = ["runner", "by", "status", "from", "to", "model", "agent", "minCost", "maxCost", "errors", "subagents"] as const;

/** The filters a /search address names (a form submitted with GET); what does not parse is left out. */
export function filtersFromParams(params: Params): SearchFilters {
  const one = (key: string) => {
    const value = params[key];
    return typeof value === "string" && value.trim() ? value.trim() : undefined;
  };
  const number = (key: string) => {
    const value = Number(one(key));
    return one(key) !== undefined && Number.isFinite(value) && value >= 0 ? value : undefined;
  };
  const yesNo = (key: string) => (one(key) === "yes" ? true : one(key) === "no" ? false : undefined);
  const filters: SearchFilters = {
    runnerId: one("runner"),
    startedById: one("by"),
    status: one("status") as SearchFilters["status"],
    from: one("from"),
    to: one("to"),
    model: one("model"),
    agent: one("agent"),
    minCost: number("minCost"),
    maxCost: number("maxCost"),
    hasErrors: yesNo("errors"),
    hasSubAgents: yesNo("subagents"),
  };
  return Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== undefined)) as SearchFilters;
}

/** The session page at the match's turn, with the words to highlight there. */
export function matchHref(match: Pick<SearchMatch, "sessionId" | "turnIndex">, q: string): string {
  if (match.turnIndex === null) return `/sessions/${match.sessionId}?${new URLSearchParams({ hl: q })}`;
  // `turn` too: the archived view opens the page that holds it (the server never sees the hash).
  return `/sessions/${match.sessionId}?${new URLSearchParams({ hl: q, turn: String(match.turnIndex) })}#${turnAnchor(match.turnIndex)}`;
}

/** The words of a query worth marking on the page: its terms (not its exclusions), without syntax. */
export function highlightTerms(q: string): string[] {
  let terms: SearchTerm[];
  try {
    terms = parseSearchQuery(q);
  } catch {
    return [];
  }
  const words = terms.filter((t) => !t.negated).flatMap((t) => t.text.match(/[\p{L}\p{N}_][\p{L}\p{N}_.\-/]*/gu) ?? []);
  return [...new Set(words.filter((w) => w.length >= 2).map((w) => w.toLowerCase()))];
}
