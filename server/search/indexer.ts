import type { Logger } from "pino";
import type { PrismaClient } from "~/server/generated/prisma/client";

/** Parts indexed per statement: about 25 ms of PGlite, which runs on the app's thread. */
export const INDEX_BATCH = 500;
/** How often the indexer looks for parts written since (a streaming part is indexed at most this often). */
export const INDEX_EVERY_MS = 1_000;

/**
 * Stores the search vector of every part written since the last run (`search` is NULL), a batch
 * at a time, and says how many it stored. Rows another instance is indexing are skipped, not
 * waited for.
 */
export async function indexPendingParts(db: PrismaClient): Promise<number> {
  let indexed = 0;
  for (;;) {
    const count = await db.$executeRaw`
      UPDATE "Part" SET search = flightdeck_part_search(text, data)
      WHERE id IN (SELECT id FROM "Part" WHERE search IS NULL LIMIT ${INDEX_BATCH} FOR UPDATE SKIP LOCKED)`;
    indexed += count;
    if (count < INDEX_BATCH) return indexed;
  }
}

/**
 * The search index kept behind the writers (migration 20261205230000_search_behind_writes): the
 * live writer, the archive sync, imports and forks write parts without their vector, and this
 * stores it within about a second. Search never waits for it (server/search/search.ts computes
 * a pending part's vector on the fly).
 */
export class SearchIndexer {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly db: PrismaClient,
    private readonly log: Logger,
    private readonly everyMs = INDEX_EVERY_MS,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.run(), this.everyMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One pass (a tick does nothing while the last is still running). */
  run(): Promise<void> {
    this.running ??= indexPendingParts(this.db)
      .then((indexed) => {
        if (indexed >= INDEX_BATCH) this.log.debug(`indexed ${indexed} parts for search`);
      })
      .catch((error: unknown) => this.log.warn(`search indexing failed (retried in ${this.everyMs} ms): ${error instanceof Error ? error.message : error}`))
      .finally(() => (this.running = undefined));
    return this.running;
  }
}
