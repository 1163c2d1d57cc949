import type { Tx } from "~/server/db";
import { fingerprint } from "~/server/stream/fingerprint";
import type { Prisma, PrismaClient } from "~/server/generated/prisma/client";
import { jsonBatches } from "~/server/store/bulk-insert";
import type { ArchiveIds } from "~/server/store/ids";
import { messageIdOf, type SourceTree } from "./source";

/**
 * Message fingerprints: what lets a sync of a long idle tree plan only the messages that changed.
 * A sync of an idle session stores on each message it left equal to the runner's the fingerprint
 * of the runner's copy (info and parts) and when it verified it. A later sync trusts a message,
 * without reading or diffing its archived content, only while all of these hold: the runner's
 * fingerprint is the same, the archive has as many parts for it, and none was written since
 * (the live writer stamps every part write in `updatedAt`). Anything else (a new, changed or
 * removed message, a part the archive lost or the live path rewrote, a busy session) is planned
 * in full, so the sync still repairs what the archive lacks.
 */

/** How a message or part is named across a tree: `<session opencode id>:<its opencode id>`. */
export const treeKey = (sessionId: string, id: string | undefined) => `${sessionId}:${id}`;

/** A `treeKey` back into its session's and its own opencode id (opencode ids hold no colon). */
export function splitTreeKey(key: string): [session: string, id: string] {
  const split = key.indexOf(":");
  return [key.slice(0, split), key.slice(split + 1)];
}

/** Above this many messages to plan, the sync reads and plans the whole tree (no long id lists). */
const MAX_PLANNED = 500;

/**
 * Key order independent: opencode answers the same message with its keys in another order
 * depending on how it was read (a limited read of the newest messages does).
 */
export function messageFingerprint(entry: unknown): string {
  return fingerprint(entry);
}

function partCountOf(entry: unknown): number {
  const parts = (entry as { parts?: unknown } | null)?.parts;
  return Array.isArray(parts) ? parts.length : -1;
}

export type StoredMessage = { fingerprint: string | null; verifiedAt: Date | null; parts: number; lastPartWrite: Date | null };

/** What the archive holds of a tree's messages, without their content, by `treeKey`. */
export async function storedMessages(db: PrismaClient, rootRowId: string): Promise<Map<string, StoredMessage>> {
  const messages = await db.message.findMany({
    where: { session: { rootId: rootRowId } },
    select: { id: true, opencodeId: true, syncFingerprint: true, syncVerifiedAt: true, session: { select: { opencodeId: true } } },
  });
  const parts = await db.part.groupBy({ by: ["messageId"], where: { session: { rootId: rootRowId } }, _count: { _all: true }, _max: { updatedAt: true } });
  const byMessage = new Map(parts.map((p) => [p.messageId, p]));
  return new Map(
    messages.map((m) => {
      const written = byMessage.get(m.id);
      const stored = { fingerprint: m.syncFingerprint, verifiedAt: m.syncVerifiedAt, parts: written?._count._all ?? 0, lastPartWrite: written?._max.updatedAt ?? null };
      return [treeKey(m.session.opencodeId, m.opencodeId), stored];
    }),
  );
}

/** Which messages a sync must plan, and the runner's fingerprints to store once it committed. */
export type MessageSelection = {
  /** Runner messages the archive holds as they are (left out of the plan), as `treeKey` keys. */
  verified: Set<string>;
  /** Opencode ids of the archived messages the plan compares (changed, new to the runner, or gone from it); undefined: all. */
  planned?: string[];
  /** Fingerprints of idle sessions' runner messages that were planned: stored after the commit. */
  fingerprints: Map<string, string>;
};

/**
 * Compares the runner's tree with what the archive stored of it (`storedMessages`; empty for a
 * tree it does not hold). A tree with too much to plan is planned whole.
 */
export function selectMessages(stored: ReadonlyMap<string, StoredMessage>, sourceTree: SourceTree): MessageSelection {
  const verified = new Set<string>();
  const fingerprints = new Map<string, string>();
  const listed = new Set<string>();
  const planned: string[] = [];
  for (const session of sourceTree.sessions) {
    const idle = session.status.type === "idle";
    for (const entry of session.messages) {
      const id = messageIdOf(entry);
      if (id === undefined) continue;
      const key = treeKey(session.info.id, id);
      listed.add(key);
      if (!idle) {
        planned.push(id);
        continue;
      }
      const print = messageFingerprint(entry);
      const archived = stored.get(key);
      if (archived && unchanged(archived, print, partCountOf(entry))) {
        verified.add(key);
        continue;
      }
      fingerprints.set(key, print);
      planned.push(id);
    }
  }
  // Of a session read in part, only messages from its oldest read one on can be known gone.
  const since = new Map(sourceTree.sessions.flatMap((s) => (s.since === undefined ? [] : [[s.info.id, s.since] as const])));
  for (const key of stored.keys()) {
    if (listed.has(key)) continue;
    const [session, id] = splitTreeKey(key);
    const from = since.get(session);
    if (from === undefined || id >= from) planned.push(id);
  }
  if (planned.length > MAX_PLANNED) return { verified: new Set(), fingerprints, planned: undefined };
  return { verified, fingerprints, planned };
}

function unchanged(stored: StoredMessage, print: string, parts: number): boolean {
  return stored.fingerprint === print && stored.parts === parts && !unverified(stored);
}

/** Whether the archive's copy was written since a sync last verified it (or never verified). */
export function unverified(stored: StoredMessage): boolean {
  return !stored.verifiedAt || (stored.lastPartWrite !== null && stored.lastPartWrite >= stored.verifiedAt);
}

/** What a sync read of the runner and when: the planned messages' fingerprints, to store with its commit. */
export type Verification = { fingerprints: Map<string, string>; sourceReadAt: Date };

/**
 * Stores the runner's fingerprints of the messages this sync planned and left equal to the
 * runner's, stamped after every write of the sync (so a later part write shows as newer). A
 * message another transaction wrote a part of since the runner was read (the live path, say)
 * is not vouched for: its row keeps what it had, and the next sync diffs it.
 */
export async function storeFingerprints(tx: Tx, ids: ArchiveIds, root: string, { fingerprints, sourceReadAt }: Verification): Promise<void> {
  // As ISO strings in the JSON, as bulkInsert writes dates (UTC, as Prisma stores DateTime).
  const verifiedAt = new Date().toISOString();
  const rows: { sessionId: string; opencodeId: string; fingerprint: string; verifiedAt: string }[] = [];
  for (const [key, fingerprint] of fingerprints) {
    const [session, opencodeId] = splitTreeKey(key);
    rows.push({ sessionId: await ids.session(tx, session, root), opencodeId, fingerprint, verifiedAt });
  }
  const readAt = sourceReadAt.toISOString();
  for (const json of jsonBatches(rows)) {
    // xmin: the transaction that wrote a row's version; this one's own writes are what it verified.
    await tx.$executeRaw`UPDATE "Message" AS m SET "syncFingerprint" = r."fingerprint", "syncVerifiedAt" = r."verifiedAt"
      FROM json_to_recordset(${json}::json) AS r("sessionId" text, "opencodeId" text, "fingerprint" text, "verifiedAt" timestamp(3))
      WHERE m."sessionId" = r."sessionId" AND m."opencodeId" = r."opencodeId"
        AND NOT EXISTS (SELECT 1 FROM "Part" AS p WHERE p."messageId" = m.id AND p."updatedAt" >= ${readAt}::timestamp(3) AND p.xmin <> pg_current_xact_id()::xid)`;
  }
}
