import type { PGlite, QueryOptions, Transaction } from "@electric-sql/pglite";

type Parsers = NonNullable<QueryOptions["parsers"]>;

/**
 * PGlite merges a query's `parsers` option into a copy of its own (over 300 type parsers, array
 * types included) on every query that passes one, and Prisma's adapter passes its parsers on
 * every query: about 0.1 ms and a large short-lived object per query, the largest share of the
 * garbage a crowd of viewers opening at once made (a heap profile of 1,000 opening: 0.47 of 1.2 GB).
 * Here the first parsers a query passes (the adapter's, the same object every time) become
 * the instance's own, once; a query passing them again passes nothing, and any other query is
 * given what makes it parse exactly as before (PGlite's own parsers, or those over them).
 */
export function shareParsers(pglite: PGlite): PGlite {
  const own = pglite.parsers;
  let shared: Parsers | undefined;
  /** Parsers that, merged over the shared ones, give PGlite's own: a type only the shared set parses is left to PGlite's default again. */
  let restore: Parsers = own;

  const optionsFor = <O extends QueryOptions | undefined>(options: O): O => {
    const given = options?.parsers;
    if (!shared && given) {
      shared = given;
      pglite.parsers = { ...own, ...given };
      const added = Object.keys(given).filter((type) => !(type in own));
      // PGlite falls back to its defaults for a type whose parser is undefined.
      restore = { ...own, ...Object.fromEntries(added.map((type) => [type, undefined])) } as Parsers;
    }
    if (!shared) return options;
    if (given === shared) return { ...options, parsers: undefined } as O;
    return { ...options, parsers: { ...restore, ...given } } as O;
  };

  const wrap = <T extends PGlite | Transaction>(target: T): T => {
    const query = target.query.bind(target);
    const exec = target.exec.bind(target);
    target.query = ((sql: string, params?: unknown[], options?: QueryOptions) => query(sql, params, optionsFor(options))) as T["query"];
    target.exec = ((sql: string, options?: QueryOptions) => exec(sql, optionsFor(options))) as T["exec"];
    return target;
  };

  const transaction = pglite.transaction.bind(pglite);
  pglite.transaction = (<T>(callback: (tx: Transaction) => Promise<T>) => transaction((tx) => callback(wrap(tx)))) as PGlite["transaction"];
  return wrap(pglite);
}
