import { selectMessages, treeKey, unverified, type MessageSelection, type StoredMessage } from "./fingerprints";
import type { TreeSnapshot } from "./source";

/**
 * A recent read: what lets the sync after a turn read the runner's newest messages instead of
 * the whole tree (idle syncs, service.ts; manual, sweep and delete syncs read it whole). opencode
 * only ever appends messages to a session or removes its newest ones (a revert), so a read
 * stands in for a whole one where it reaches back to what an earlier whole read verified: the
 * oldest message read of each session read in part is one the archive holds unchanged
 * (fingerprints.ts). Otherwise (a session new to the archive, more changed than the read
 * reached, a busy session) the sync reads the whole tree.
 */

/** Messages read beyond those the archive holds unverified: room for a turn the live path missed the end of. */
const MARGIN = 8;

/**
 * How many of each session's newest messages to read: enough to reach back past what the
 * archive holds unverified (the live path's writes since the last sync). Undefined when the
 * archive verified nothing: there is nothing a recent read could join.
 */
export function recentLimit(stored: ReadonlyMap<string, StoredMessage>): number | undefined {
  const pending = new Map<string, number>();
  let verified = false;
  for (const [key, message] of stored) {
    if (!unverified(message)) {
      verified = true;
      continue;
    }
    const session = key.slice(0, key.indexOf(":"));
    pending.set(session, (pending.get(session) ?? 0) + 1);
  }
  return verified ? Math.max(0, ...pending.values()) + MARGIN : undefined;
}

/** The selection of a recent read; undefined when the read cannot stand in for a whole one. */
export function recentSelection(stored: ReadonlyMap<string, StoredMessage>, snapshot: TreeSnapshot): MessageSelection | undefined {
  const selection = selectMessages(stored, snapshot);
  // Planned whole (too much changed) would compare the archive's older messages too.
  if (!selection.planned) return undefined;
  const joined = snapshot.sessions.every((s) => s.since === undefined || selection.verified.has(treeKey(s.info.id, s.since)));
  return joined ? selection : undefined;
}
