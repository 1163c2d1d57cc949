import type { ChangedTrees } from "~/server/hub/change-feed";
import type { PrismaClient } from "~/server/generated/prisma/client";
import { rootOf } from "./rows";
import { TraceError, treeTrace, type Trace } from "./trace";

/**
 * The traces of recently viewed trees, so that the pages of a 10,000-span trace, its summary and
 * a share view's reads build it once. Every writer of a tree tells the change feed, whose
 * `watch` forgets the tree here before any reader hears of the change. Writers in another process (an `npm run import` beside the app)
 * are not heard: entries are kept at most `ttlMs`.
 */
export class TraceCache {
  private readonly entries = new Map<string, { trace: Promise<Trace>; at: number }>();

  constructor(
    private readonly db: PrismaClient,
    private readonly options: { maxTrees?: number; ttlMs?: number } = {},
  ) {}

  forget(changed: ChangedTrees): void {
    // A read under way is dropped too: it may have missed the change. Whoever awaits it
    // already asked before the change; the next reader reads again.
    if (changed === "all") this.entries.clear();
    else for (const id of changed) this.entries.delete(id);
  }

  /** The trace of the tree `sessionId` belongs to. */
  async trace(sessionId: string): Promise<Trace> {
    const rootId = await rootOf(this.db, sessionId);
    if (!rootId) throw new TraceError("not-found", `No session ${sessionId}.`);
    const cached = this.entries.get(rootId);
    if (cached && Date.now() - cached.at < (this.options.ttlMs ?? 30_000)) {
      // Most recently used last, so the oldest is evicted first.
      this.entries.delete(rootId);
      this.entries.set(rootId, cached);
      return cached.trace;
    }
    const trace = treeTrace(this.db, rootId);
    const entry = { trace, at: Date.now() };
    this.entries.set(rootId, entry);
    try {
      await trace;
    } catch (error) {
      if (this.entries.get(rootId) === entry) this.entries.delete(rootId);
      throw error;
    }
    for (const key of this.entries.keys()) {
      if (this.entries.size <= (this.options.maxTrees ?? 16)) break;
      this.entries.delete(key);
    }
    return trace;
  }
}
