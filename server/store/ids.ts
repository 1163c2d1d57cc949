import type { Tx } from "~/server/db";
import { randomUUID } from "node:crypto";
import { userMessageIdOf } from "~/server/stream/turn-tracker";

/** Entries per map before it is cleared: a bridge that lives for weeks must not grow with it. */
const MAX_CACHED = 50_000;

/** Remembers `key` in `map`, starting the map over once it holds MAX_CACHED entries. */
function remember(map: Map<string, string>, key: string, value: string): void {
  if (map.size >= MAX_CACHED) map.clear();
  map.set(key, value);
}

/**
 * Maps opencode ids (unique per runner) to archive row ids, creating session rows on first
 * sight. Cached for the life of a runner's bridge; rows are never re-keyed, so the cache cannot
 * go stale, only cold (which is also how it is bounded).
 */
export class ArchiveIds {
  private readonly sessions = new Map<string, string>();
  private readonly turns = new Map<string, string>();
  private readonly messages = new Map<string, string>();

  constructor(
    readonly runnerId: string,
    private readonly directory: string,
  ) {}

  async session(tx: Tx, opencodeId: string, rootOpencodeId: string): Promise<string> {
    const cached = this.sessions.get(opencodeId);
    if (cached) return cached;
    const isRoot = opencodeId === rootOpencodeId;
    const rootId = isRoot ? undefined : await this.session(tx, rootOpencodeId, rootOpencodeId);
    const newId = randomUUID();
    const row = await tx.session.upsert({
      where: { runnerId_opencodeId: { runnerId: this.runnerId, opencodeId } },
      create: { id: newId, opencodeId, runnerId: this.runnerId, directory: this.directory, rootId: rootId ?? newId },
      update: {},
      select: { id: true },
    });
    remember(this.sessions, opencodeId, row.id);
    return row.id;
  }

  /** Turn ids in events are `<sessionId>:<userMessageId>`; rows are keyed by that pair. */
  async turn(tx: Tx, sessionRowId: string, turnId: string, index?: number): Promise<string> {
    const cached = this.turns.get(turnId);
    if (cached) return cached;
    const userMessageId = userMessageIdOf(turnId);
    const existing = await tx.turn.findUnique({
      where: { sessionId_userMessageId: { sessionId: sessionRowId, userMessageId } },
      select: { id: true },
    });
    const row =
      existing ??
      (await tx.turn.create({
        data: { sessionId: sessionRowId, userMessageId, index: index ?? (await nextTurnIndex(tx, sessionRowId)) },
        select: { id: true },
      }));
    remember(this.turns, turnId, row.id);
    return row.id;
  }

  async message(tx: Tx, sessionRowId: string, opencodeId: string): Promise<string | undefined> {
    const key = `${sessionRowId}:${opencodeId}`;
    const cached = this.messages.get(key);
    if (cached) return cached;
    const row = await tx.message.findUnique({
      where: { sessionId_opencodeId: { sessionId: sessionRowId, opencodeId } },
      select: { id: true },
    });
    if (row) remember(this.messages, key, row.id);
    return row?.id;
  }

  /** After a rolled-back batch: rows created inside it no longer exist. */
  reset(): void {
    this.sessions.clear();
    this.turns.clear();
    this.messages.clear();
  }

  /** A session row read elsewhere (a sync reads its tree's): `session` then needs no statement for it. */
  rememberSession(opencodeId: string, rowId: string): void {
    remember(this.sessions, opencodeId, rowId);
  }

  rememberMessage(sessionRowId: string, opencodeId: string, rowId: string): void {
    remember(this.messages, `${sessionRowId}:${opencodeId}`, rowId);
  }

  forgetMessage(sessionRowId: string, opencodeId: string): void {
    this.messages.delete(`${sessionRowId}:${opencodeId}`);
  }
}

async function nextTurnIndex(tx: Tx, sessionRowId: string): Promise<number> {
  const last = await tx.turn.findFirst({ where: { sessionId: sessionRowId }, orderBy: { index: "desc" }, select: { index: true } });
  return (last?.index ?? 0) + 1;
}
