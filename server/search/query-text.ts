import { namedError } from "~/server/named-error";
/**
 * What a person types into the search box, as terms PostgreSQL can turn into a tsquery: words
 * (all must match), "quoted phrases" (words in that order), `word*` (any word starting so) and
 * `-word` (must not match). Nothing here reaches SQL as text: every term is a bound parameter.
 */
export type SearchTerm =
  | { kind: "word"; text: string; negated: boolean }
  | { kind: "phrase"; text: string; negated: boolean }
  | { kind: "prefix"; text: string; negated: boolean };

export class SearchQueryError extends namedError("SearchQueryError") {}

// Letters, digits and underscores: what a prefix keeps (to_tsquery syntax is never exposed).
const WORD_CHARS = /[\p{L}\p{N}_]+/gu;

export function parseSearchQuery(q: string): SearchTerm[] {
  const terms: SearchTerm[] = [];
  // A quoted phrase, or a run of non-space characters; a leading "-" negates either.
  for (const match of q.matchAll(/(-?)"([^"]*)"?|(\S+)/g)) {
    if (match[3] !== undefined) {
      const raw = match[3];
      const negated = raw.startsWith("-") && raw.length > 1;
      const body = negated ? raw.slice(1) : raw;
      if (body.endsWith("*")) {
        const pieces = body.slice(0, -1).match(WORD_CHARS) ?? [];
        if (pieces.length > 0) terms.push({ kind: "prefix", text: pieces.join(" "), negated });
      } else if (/[\p{L}\p{N}]/u.test(body)) terms.push({ kind: "word", text: body, negated });
    } else {
      const text = (match[2] ?? "").trim();
      if (text) terms.push({ kind: "phrase", text, negated: match[1] === "-" });
    }
  }
  if (!terms.some((t) => !t.negated)) {
    throw new SearchQueryError("Search needs at least one word to find (a query of only -excluded words matches nothing).");
  }
  return terms;
}

/** A prefix term's to_tsquery source: every piece must match, the last as a prefix. */
export function prefixQuery(text: string): string {
  const pieces = text.split(" ");
  return pieces.map((p, i) => (i === pieces.length - 1 ? `${p}:*` : p)).join(" & ");
}
