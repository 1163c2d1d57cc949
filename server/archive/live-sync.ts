import type { PrismaClient } from "~/server/generated/prisma/client";
import { commitSync, startSync, withRetries, type SyncOptions, type SyncOutcome, type SyncTarget } from "./sync";
import { turnOpenStatuses } from "~/server/stream/session-status";

/** What a sync needs of the live bridge following the tree's runner directory. */
export type LiveWriter = {
  /** Brings sessions up to date from the runner through the live path; resolves with the events it took. */
  resync(opencodeIds: string[]): Promise<number>;
  /** Resolves once everything received is published and stored. */
  settle(): Promise<void>;
};

/** Whether a turn runs anywhere in the tree, as the archive has it. */
export async function treeRuns(db: PrismaClient, rootRowId: string): Promise<boolean> {
  const running = await db.session.count({ where: { rootId: rootRowId, status: { in: [...turnOpenStatuses] } } });
  return running > 0;
}

/**
 * A sync of a tree that streams: the live bridge following its directory is then the tree's
 * one writer of content: what the runner has goes through it (normalizer, seqs, viewers, the
 * event writer), so viewers see what the sync found and no second writer races the live one (a
 * sync writing a part's whole text while the writer still appended its deltas doubled them).
 * The sync itself writes no content and no status (a status read from the runner mid-run, written
 * after the live path stored the turn's end, left a finished tree "running"): it marks the
 * archive complete, under a full sync's optimistic lock. What the
 * archive lacks that the bridge believes it sent (a batch the database refused) is repaired by
 * the first full sync once the tree is idle.
 */
export function syncThroughLive(
  db: PrismaClient,
  live: LiveWriter,
  target: SyncTarget,
  options: SyncOptions = {},
): Promise<SyncOutcome> {
  return withRetries(db, target, options, async (read) => {
    const root = await startSync(db, target, options.hooks);
    read(root?.archiveVersion ?? 0);
    const tree = root ? await db.session.findMany({ where: { rootId: root.id, id: { not: root.id } }, select: { opencodeId: true } }) : [];
    const changes = await live.resync([target.rootOpencodeId, ...tree.map((s) => s.opencodeId)]);
    await live.settle();
    const plan = { root: target.rootOpencodeId, events: [], rejected: [], sessions: [], additive: false };
    const committed = await commitSync(db, { target, readVersion: root?.archiveVersion ?? 0, directory: root?.directory ?? "", plan }, options.hooks);
    return { ...committed, changes };
  });
}
