// What a full sync reads: the complete state of one session tree as opencode holds it, in
// opencode's own wire shapes, from a live runner (runner-source.ts) or from an opencode SQLite
// file (sqlite-source.ts). Nothing here is normalized yet: plan.ts does that with the same
// Normalizer the live path uses.

/** opencode's session status (`GET /session/status`); absent means idle. */
export type SourceStatus =
  | { type: "idle" }
  | { type: "busy" }
  | { type: "retry"; attempt: number; message: string; next?: number };

export type SourceSession = {
  /** opencode's Session.Info (`GET /session/:id`): id, parentID, title, tokens, time, ... */
  info: { id: string; parentID?: string | null; [key: string]: unknown };
  /** opencode's `GET /session/:id/message` answer: [{ info, parts }], oldest first; complete unless `since` is set. */
  messages: unknown[];
  /**
   * Set when `messages` holds only the session's newest messages (a recent read): the id of the
   * oldest one read. Older messages were not read, so nothing is known of them.
   */
  since?: string;
  status: SourceStatus;
  /** The session's todo list, when the source has one. */
  todos?: unknown[];
};

/** One whole tree: the root and every descendant, parents before children. */
export type SourceTree = { root: string; sessions: SourceSession[] };

export type ReadOptions = { recent?: number };

export interface TreeSource {
  /** "runner" (a serving opencode) or "sqlite" (an opencode.db file); shown in logs. */
  readonly kind: string;
  /**
   * The whole tree under `rootOpencodeId`, or undefined when the source no longer has it. With
   * `recent`, a source may read only the newest `recent` messages of each session (marking
   * those sessions with `since`); one that cannot reads them all.
   */
  loadTree(rootOpencodeId: string, options?: ReadOptions): Promise<SourceTree | undefined>;
  /** One session's messages, the newest `recent` of them when set: a recent read widened (without it, syncs read whole). */
  loadMessages?(sessionId: string, recent?: number): Promise<Pick<SourceSession, "messages" | "since">>;
}

export function messageIdOf(entry: unknown): string | undefined {
  const id = (entry as { info?: { id?: unknown } } | null)?.info?.id;
  return typeof id === "string" ? id : undefined;
}

/**
 * A session's messages as a read limited to the newest `recent` answers them (all of them when
 * fewer; any more are cut here), marked with `since` when older ones may exist.
 */
export function newest(messages: unknown[], recent: number | undefined): Pick<SourceSession, "messages" | "since"> {
  if (recent === undefined || messages.length < recent) return { messages };
  const kept = messages.slice(-recent);
  // An unreadable id still marks the read as partial: "" starts before every id.
  return { messages: kept, since: messageIdOf(kept[0]) ?? "" };
}

/**
 * Orders sessions so that each parent comes before its children, starting at `root`.
 * Sessions not reachable from `root` are dropped (they belong to another tree).
 */
export function parentsFirst(root: string, sessions: SourceSession[]): SourceSession[] {
  const byParent = new Map<string, SourceSession[]>();
  const byId = new Map(sessions.map((s) => [s.info.id, s]));
  for (const session of sessions) {
    const parent = session.info.parentID;
    if (!parent || session.info.id === root) continue;
    byParent.set(parent, [...(byParent.get(parent) ?? []), session]);
  }
  const ordered: SourceSession[] = [];
  const seen = new Set<string>();
  const rootSession = byId.get(root);
  const queue = rootSession ? [rootSession] : [];
  while (queue.length > 0) {
    const next = queue.shift()!;
    if (seen.has(next.info.id)) continue;
    seen.add(next.info.id);
    ordered.push(next);
    const children = [...(byParent.get(next.info.id) ?? [])].sort((a, b) => compareIds(a.info.id, b.info.id));
    queue.push(...children);
  }
  return ordered;
}

// opencode ids sort chronologically.
function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
