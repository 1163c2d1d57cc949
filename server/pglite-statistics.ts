import type { PGlite } from "@electric-sql/pglite";

/** A table is analyzed again once it has grown by this share since its last ANALYZE (autovacuum's default). */
const GROWTH = 0.1;
const CHECK_EVERY_MS = 10 * 60_000;

type TableSize = { name: string; pages: number; analyzedPages: number; analyzed: boolean };

/**
 * PGlite runs no autovacuum, so its planner never gets statistics: it takes every session
 * filter to keep 0.5% of the rows and drives a search through the sessions instead of the
 * text index (1.9 s instead of 0.2 s over a thousand trees). This does autovacuum's analyze
 * part: the tables never analyzed, or grown by a tenth since, are analyzed. ANALYZE reads a
 * sample of at most 30,000 rows, so even a million-part table takes seconds, not minutes; the
 * content columns (text, raw data, tool input and output) are left out of it (migration
 * 20261206070000_content_without_statistics), which was most of its cost.
 */
export async function analyzeGrownTables(pglite: PGlite): Promise<string[]> {
  const { rows } = await pglite.query<TableSize>(`
    SELECT c.relname AS name, (pg_relation_size(c.oid) / current_setting('block_size')::int)::int AS pages,
      c.relpages AS "analyzedPages", c.reltuples >= 0 AS analyzed
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind = 'r' AND n.nspname = current_schema()`);
  const grown = rows.filter((t) => t.pages > 0 && (!t.analyzed || t.pages > t.analyzedPages * (1 + GROWTH)));
  for (const table of grown) await pglite.query(`ANALYZE "${table.name.replaceAll('"', '""')}"`);
  return grown.map((t) => t.name);
}

export type StatisticsKeeper = {
  /** Analyzes what grew now (an import calls it when it is done). */
  refresh(): Promise<string[]>;
  /** Stops the checks, after the one under way. */
  stop(): Promise<void>;
};

/** Checks now and every 10 minutes; what it analyzed and what failed go to `report`. */
export function keepStatistics(
  pglite: PGlite,
  report: { analyzed(tables: string[], ms: number): void; failed(error: unknown): void },
): StatisticsKeeper {
  let running: Promise<string[]> = Promise.resolve([]);
  const refresh = () => {
    running = running.catch(() => []).then(async () => {
      const started = performance.now();
      const tables = await analyzeGrownTables(pglite);
      if (tables.length > 0) report.analyzed(tables, performance.now() - started);
      return tables;
    });
    return running;
  };
  const check = () => void refresh().catch(report.failed);
  check();
  const timer = setInterval(check, CHECK_EVERY_MS);
  timer.unref();
  return {
    refresh,
    async stop() {
      clearInterval(timer);
      await running.catch(() => undefined);
    },
  };
}
