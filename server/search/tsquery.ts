import { Prisma } from "~/server/generated/prisma/client";
import type { SearchTerm } from "./query-text";
import { prefixQuery } from "./query-text";

// The text search configuration of the index (migration 20261203020730_search): queries must be
// parsed with the same one, or stemmed words would not meet.
export const CONFIG = Prisma.sql`'english'::regconfig`;

function termQuery(term: SearchTerm): Prisma.Sql {
  const query =
    term.kind === "phrase"
      ? Prisma.sql`phraseto_tsquery(${CONFIG}, ${term.text})`
      : term.kind === "prefix"
        ? Prisma.sql`to_tsquery(${CONFIG}, ${prefixQuery(term.text)})`
        : Prisma.sql`plainto_tsquery(${CONFIG}, ${term.text})`;
  return term.negated ? Prisma.sql`(!! ${query})` : query;
}

/** One tsquery for all terms (ANDed). */
export function tsquery(terms: SearchTerm[]): Prisma.Sql {
  return Prisma.join(terms.map(termQuery), " && ");
}
