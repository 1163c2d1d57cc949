import { Prisma } from "~/server/generated/prisma/client";
import type { SearchTerm } from "./query-text";
import { prefixQuery } from "./query-text";

// The text search configuration of the index (migration 20261203020730_search): queries must be
// parsed with the same one, or stemmed words would not meet.
export const CONFIG = Prisma.sql`'english'::regconfig`;

// The index reads slashes and dots as spaces (the migration): so does the query, and a word such
// as `src/search.ts` becomes the phrase "src search ts".
const asIndexed = (text: string) => text.replace(/[/.]/g, " ");

function termQuery(term: SearchTerm): Prisma.Sql {
  const query =
    term.kind === "prefix"
      ? Prisma.sql`to_tsquery(${CONFIG}, ${prefixQuery(term.text)})`
      : Prisma.sql`phraseto_tsquery(${CONFIG}, ${asIndexed(term.text)})`;
  return term.negated ? Prisma.sql`(!! ${query})` : query;
}

/** One tsquery for all terms (ANDed), parenthesized: `@@` binds tighter than `&&`. */
export function tsquery(terms: SearchTerm[]): Prisma.Sql {
  return Prisma.sql`(${Prisma.join(terms.map(termQuery), " && ")})`;
}
