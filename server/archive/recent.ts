import { selectMessages, splitTreeKey, treeKey, unverified, type MessageSelection, type StoredMessage } from "./fingerprints";
import { messageIdOf, type SourceSession, type SourceTree } from "./source";

/**
 * A recent read: what lets the sync after a turn read the runner's newest messages instead of
 * the whole tree (idle syncs, service.ts; manual, sweep and delete syncs read it whole). opencode
 * only ever appends messages to a session or removes its newest ones (a revert), so a read
 * stands in for a whole one where it reaches back to what an earlier whole read verified
 * (fingerprints.ts) without cutting a turn that changed (`joins`). A read that falls short is
 * widened; past MAX_RECENT messages, or with a busy session, the sync reads the whole tree.
 */

/**
 * How many of each session's newest messages to read: enough to reach the newest message the
 * archive verified in every session (what the live path wrote since the last sync, and one
 * more). Undefined when the archive verified nothing of the tree: no read could join it.
 */
export function recentLimit(stored: ReadonlyMap<string, StoredMessage>): number | undefined {
  const sessions = new Map<string, { ids: string[]; verified?: string }>();
  for (const [key, message] of stored) {
    const [session, id] = splitTreeKey(key);
    const entry = sessions.get(session) ?? { ids: [] };
    sessions.set(session, entry);
    entry.ids.push(id);
    if (!unverified(message) && (entry.verified === undefined || id > entry.verified)) entry.verified = id;
  }
  const entries = [...sessions.values()];
  if (entries.every((e) => e.verified === undefined)) return undefined;
  // opencode ids sort chronologically: what is newer than the verified one is what changed since.
  const newer = entries.map(({ ids, verified }) => ids.filter((id) => verified === undefined || id > verified).length);
  return Math.max(...newer) + 1;
}

/** Past this many messages a session is read whole. */
const MAX_RECENT = 256;

/**
 * The next read's limit after one that did not reach far enough (the runner has messages the
 * archive lacks): twice as far, so that the reads together cost at most about twice the one
 * that suffices; undefined once that is more than a recent read is worth.
 */
export function widerLimit(limit: number): number | undefined {
  const wider = limit * 2 + 1;
  return wider <= MAX_RECENT ? wider : undefined;
}

/**
 * The selection of a recent read, or the sessions whose read does not reach far enough (to read
 * further); `short` empty when the read cannot stand in for a whole one however far it reaches.
 */
export function recentSelection(
  stored: ReadonlyMap<string, StoredMessage>,
  sourceTree: SourceTree,
): { selection: MessageSelection } | { short: string[] } {
  const selection = selectMessages(stored, sourceTree);
  // Planned whole (too much changed) would compare the archive's older messages too.
  if (!selection.planned) return { short: [] };
  const short = sourceTree.sessions.filter((s) => s.since !== undefined && !joins(s, stored, selection.verified)).map((s) => s.info.id);
  return short.length === 0 ? { selection } : { short };
}

/**
 * Whether a session read in part reaches what the archive verified, without cutting a turn that
 * changed: the messages read before its first prompt belong to an older turn, whose outcome the
 * sync cannot tell from part of it; they must be as verified, and none of that turn's may be
 * gone (a revert to the middle of it). With no such messages, the first prompt must be verified.
 */
function joins(session: SourceSession, stored: ReadonlyMap<string, StoredMessage>, verified: ReadonlySet<string>): boolean {
  const ids = session.messages.map(messageIdOf);
  const firstPrompt = session.messages.findIndex((entry) => (entry as { info?: { role?: unknown } } | null)?.info?.role === "user");
  const older = firstPrompt < 0 ? ids : ids.slice(0, Math.max(1, firstPrompt));
  if (!older.every((id) => id !== undefined && verified.has(treeKey(session.info.id, id)))) return false;
  const end = firstPrompt < 0 ? undefined : ids[firstPrompt];
  const read = new Set(ids);
  for (const key of stored.keys()) {
    const [owner, id] = splitTreeKey(key);
    if (owner === session.info.id && id >= session.since! && (end === undefined || id < end) && !read.has(id)) return false;
  }
  return true;
}
