import type { Tx } from "~/server/db";
import { loadSeed } from "~/server/bridge/archive-seed";
import type { Prisma, PrismaClient, SessionStatus } from "~/server/generated/prisma/client";
import { applyEvent, endedStatus, insertableMessage, insertNewMessages, insertNewParts, startSupersededTurn } from "~/server/store/apply-events";
import { ArchiveIds } from "~/server/store/ids";
import { recordBoundary } from "~/server/store/session-boundary";
import { shortMessage } from "~/server/store/short-message";
import { ArchiveConflictError, ArchiveError } from "./errors";
import { selectMessages, storedMessages, storeFingerprints, treeKey, type StoredMessage, type Verification } from "./fingerprints";
import { planTreeSync, type SyncPlan } from "./plan";
import type { Logger } from "~/server/log";
import { recentLimit, recentSelection, widerLimit } from "./recent";
import type { ReadOptions, SourceTree, TreeSource } from "./source";
import { isWriteConflict } from "~/server/store/write-conflict";

/** Which tree to sync: its root, as the runner (or imported runtime) knows it. */
export type SyncTarget = { runnerId: string; rootOpencodeId: string };

export type SyncHooks = {
  /** The tree was just marked `syncing`, which it shows until the sync commits or fails. */
  syncing?: (rootId: string) => void;
  /** Inside the transaction, after every write and before the version check and commit. */
  beforeCommit?: () => Promise<void>;
};

export type SyncOptions = {
  /** Attempts after a lost optimistic lock (default 1): each re-reads and re-plans. */
  retries?: number;
  hooks?: SyncHooks;
  log?: Pick<Logger, "warn">;
  /** Read only the source's newest messages of each session where that suffices (recent.ts). */
  recent?: boolean;
  /**
   * Add and update only: what the source lacks stays archived. An imported file may be an older
   * copy than what the archive holds; a runner, read whole, says what was removed.
   */
  additive?: boolean;
};

export type SyncOutcome = {
  /** Archive row id of the root. */
  rootId: string;
  /** The tree's archive version after this sync. */
  version: number;
  /** Content events written: turns, messages, parts, removals (0 when already up to date). */
  changes: number;
  removedTurns: number;
  sessions: number;
  rejected: number;
  attempts: number;
  /** What of the source the sync read: its newest messages (`recent`) or the whole tree; none through the live bridge. */
  read?: "recent" | "whole";
};

/** A sync read and planned, not yet written: commit it with commitSync. */
export type PreparedSync = {
  target: SyncTarget;
  /** The root's archiveVersion when the plan was made; the commit requires it unchanged. */
  readVersion: number;
  directory: string;
  plan: SyncPlan;
  /** The runner's fingerprints of the planned messages and when the runner was read: stored with the commit (none: none stored). */
  verify?: Verification;
  /** What of the source was read (none: nothing, a sync through the live bridge). */
  read?: "recent" | "whole";
};

const TX_OPTIONS = { timeout: 120_000, maxWait: 60_000 };

/** Few ids are looked up by name; more, with the whole tree (one statement, no long IN list). */
const LOOKUP_BY_ID = 500;

/**
 * A full sync of one session tree into the archive: one transaction, committed only if no
 * other sync committed since this one read the archive (optimistic lock on the root's
 * archiveVersion), retried `retries` times after losing. Idempotent: a second run writes no
 * content, only the version and lastArchivedAt.
 */
export async function syncTree(db: PrismaClient, source: TreeSource, target: SyncTarget, options: SyncOptions = {}): Promise<SyncOutcome> {
  return withRetries(db, target, options, async (read) => {
    const prepared = await prepareSync(db, source, target, options);
    read(prepared.readVersion);
    return { ...(await commitSync(db, prepared, options.hooks)), read: prepared.read };
  });
}

/**
 * Runs one sync attempt, and again after losing the optimistic lock (`retries` times); any other
 * failure is recorded on the tree and thrown. `attempt` reports the version it read.
 */
export async function withRetries(
  db: PrismaClient,
  target: SyncTarget,
  options: SyncOptions,
  attempt: (read: (version: number) => void) => Promise<Omit<SyncOutcome, "attempts">>,
): Promise<SyncOutcome> {
  const retries = options.retries ?? 1;
  for (let attempts = 1; ; attempts++) {
    let readVersion: number | undefined;
    try {
      return { ...(await attempt((version) => (readVersion = version))), attempts };
    } catch (error) {
      if (isLostRace(error) && attempts <= retries) {
        options.log?.warn(`[archive] sync of ${target.rootOpencodeId} lost the race; retrying`);
        continue;
      }
      await recordFailure(db, target, error, readVersion);
      throw error;
    }
  }
}

/** Marks the tree `syncing` (refusing a purged one); returns its root row, if archived yet. */
export async function startSync(db: PrismaClient, target: SyncTarget, hooks: SyncHooks = {}) {
  const root = await db.session.findUnique({
    where: { runnerId_opencodeId: { runnerId: target.runnerId, opencodeId: target.rootOpencodeId } },
    select: { id: true, archiveVersion: true, directory: true, purgedAt: true },
  });
  if (root?.purgedAt) throw new ArchiveError("purged", `The archive of ${target.rootOpencodeId} was purged.`);
  if (root) {
    // Under the tree's lock: marking the rows while a rival's commit updates them, in another
    // order, could deadlock, and the aborted side would spend a retry on a race nobody won.
    await db.$transaction(async (tx) => {
      await lockTree(tx, target);
      await tx.session.updateMany({ where: { rootId: root.id }, data: { archiveState: "syncing" } });
    });
    hooks.syncing?.(root.id);
  }
  return root;
}

/** Syncs of one tree take turns (across processes too), until the transaction ends; the live writer never takes this lock. */
async function lockTree(tx: Tx, target: SyncTarget) {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`flightdeck-archive:${target.runnerId}:${target.rootOpencodeId}`}))`;
}

/**
 * Reads which messages the archive holds, then the source's tree, then the archived content of
 * the messages that differ (fingerprints.ts), and plans the diff of those.
 */
export async function prepareSync(
  db: PrismaClient,
  source: TreeSource,
  target: SyncTarget,
  { hooks, recent, additive }: Pick<SyncOptions, "hooks" | "recent" | "additive"> = {},
): Promise<PreparedSync> {
  const root = await startSync(db, target, hooks);
  // Read BEFORE the source: a message the live path adds in between is newer than this plan and
  // is not compared (so never removed).
  const stored = root ? await storedMessages(db, root.id) : new Map<string, StoredMessage>();
  const { sourceTree, selection, sourceReadAt, read } = await readSource(source, target.rootOpencodeId, stored, recent);
  const rootInfo = sourceTree.sessions.find((s) => s.info.id === target.rootOpencodeId)?.info;
  const directory = typeof rootInfo?.directory === "string" ? rootInfo.directory : (root?.directory ?? "");
  const seed = root ? await loadSeed(db, target.runnerId, target.rootOpencodeId, selection.planned) : undefined;
  const plan = planTreeSync(sourceTree, seed, selection.verified, { additive });
  // A part the live path wrote once the source was read is newer than this plan: left alone
  // (neither overwritten with the runner's older copy nor removed).
  const partEvents = plan.events.filter(isPartEvent);
  const newer = root && partEvents.length > 0 ? await partsWrittenSince(db, root.id, sourceReadAt, partEvents) : new Set<string>();
  if (newer.size > 0) plan.events = plan.events.filter((e) => !(isPartEvent(e) && newer.has(partKey(e))));
  return { target, readVersion: root?.archiveVersion ?? 0, directory, plan, verify: { fingerprints: selection.fingerprints, sourceReadAt }, read };
}

type SourceRead = { sourceTree: SourceTree; sourceReadAt: Date };

/** The source's tree: its newest messages when `recent` is set and they suffice (recent.ts), else all of it. */
async function readSource(source: TreeSource, rootOpencodeId: string, stored: ReadonlyMap<string, StoredMessage>, recent: boolean | undefined) {
  const read = async (options?: ReadOptions): Promise<SourceRead> => {
    const sourceReadAt = new Date();
    const sourceTree = await source.loadTree(rootOpencodeId, options);
    if (!sourceTree) {
      throw new ArchiveError("source_gone", `The ${source.kind} no longer has session ${rootOpencodeId}; the archive keeps what it had.`);
    }
    return { sourceTree, sourceReadAt };
  };
  const whole = ({ sourceTree, sourceReadAt }: SourceRead) => ({ sourceTree, selection: selectMessages(stored, sourceTree), sourceReadAt, read: "whole" as const });
  // A source that cannot read one session's messages further back reads whole.
  const further = recent ? source.loadMessages?.bind(source) : undefined;
  let limit = further ? recentLimit(stored) : undefined;
  if (!further || limit === undefined) return whole(await read());
  let got = await read({ recent: limit });
  for (;;) {
    // Every message came: that was a whole read. A busy session's messages are never vouched for.
    if (got.sourceTree.sessions.every((s) => s.since === undefined)) return whole(got);
    if (got.sourceTree.sessions.some((s) => s.status.type !== "idle")) break;
    const joined = recentSelection(stored, got.sourceTree);
    if ("selection" in joined) return { ...got, selection: joined.selection, read: "recent" as const };
    limit = joined.short.length > 0 ? widerLimit(limit) : undefined;
    if (limit === undefined) break;
    got = await readFurther(further, got, joined.short, limit);
  }
  return whole(await read());
}

/** A recent read again, further back for the sessions it fell short in only. */
async function readFurther(load: NonNullable<TreeSource["loadMessages"]>, got: SourceRead, short: string[], limit: number): Promise<SourceRead> {
  const sessions = await Promise.all(
    got.sourceTree.sessions.map(async (s) => (short.includes(s.info.id) ? { ...s, since: undefined, ...(await load(s.info.id, limit)) } : s)),
  );
  return { ...got, sourceTree: { ...got.sourceTree, sessions } };
}

/** Of the parts `events` write, those written since `since`, as `treeKey` keys: an incremental sync asks for its few ids, not the tree's. */
async function partsWrittenSince(db: PrismaClient, rootRowId: string, since: Date, events: readonly PartEvent[]): Promise<Set<string>> {
  const ids = [...new Set(events.map(partIdOf))];
  const where = { session: { rootId: rootRowId }, updatedAt: { gte: since }, ...(ids.length > LOOKUP_BY_ID ? {} : { opencodeId: { in: ids } }) };
  const rows = await db.part.findMany({ where, select: { opencodeId: true, session: { select: { opencodeId: true } } } });
  return new Set(rows.map((row) => treeKey(row.session.opencodeId, row.opencodeId)));
}

type PartEvent = Extract<Planned, { kind: "part.upserted" | "part.removed" }>;

const isPartEvent = (event: Planned): event is PartEvent => event.kind === "part.upserted" || event.kind === "part.removed";

const partIdOf = (event: PartEvent): string => (event.kind === "part.upserted" ? event.part.id : event.partId);

const partKey = (event: PartEvent): string => treeKey(event.sessionId, partIdOf(event));

/** Writes a prepared sync in one transaction; throws ArchiveConflictError if it lost the race. */
export async function commitSync(db: PrismaClient, prepared: PreparedSync, hooks: SyncHooks = {}): Promise<Omit<SyncOutcome, "attempts">> {
  const { target, plan, readVersion } = prepared;
  return db.$transaction(async (tx) => {
    const now = new Date();
    await lockTree(tx, target);
    const before = await treeRows(tx, target);
    if (before.version !== readVersion) throw new ArchiveConflictError(`Another sync of ${target.rootOpencodeId} committed first.`);
    const ids = new ArchiveIds(target.runnerId, prepared.directory);
    for (const [opencodeId, row] of before.sessions) ids.rememberSession(opencodeId, row.id);
    const rootId = await ids.session(tx, target.rootOpencodeId, target.rootOpencodeId);
    await writeEvents(tx, ids, rootId, plan.events, now, before.sessions);
    let removedTurns = 0;
    // The plan's events never reach a stream: a boundary the sync finds is as of the stream's position.
    const { lastSeq } = await tx.session.findUniqueOrThrow({ where: { id: rootId }, select: { lastSeq: true } });
    const content = plan.events.filter((e) => e.kind !== "session.upserted");
    const changed = new Set(content.map((e) => e.sessionId));
    for (const session of plan.sessions) {
      const id = await ids.session(tx, session.opencodeId, target.rootOpencodeId);
      const current = before.sessions.get(session.opencodeId);
      const keep = session.busy && current && ["waiting", "stalled"].includes(current.status);
      await writeTurns(tx, id, session.turns, plan.additive);
      // A failure the runner keeps no answer for (a model that does not exist fails before any
      // reply) lives only in the turn the live path failed: idle must not clear it.
      const ended = !session.busy && session.status === "idle" ? await endedStatus(tx, id) : undefined;
      const lastActivityAt = latest(current?.lastActivityAt, session.lastActivityAt);
      const data = {
        status: keep ? current.status : (ended?.status ?? session.status),
        statusReason: keep ? undefined : (ended?.statusReason ?? session.statusReason),
        ...(lastActivityAt ? { lastActivityAt } : {}),
      };
      // A statement per session and per turn adds up in a long tree: only what changed is written.
      if (!current || changes(current, data)) await tx.session.update({ where: { id }, data });
      if (session.removedTurns.length > 0) {
        // A reverted turn the runner deleted (a prompt committed the revert) stays, marked.
        const removed = await tx.turn.deleteMany({ where: { sessionId: id, userMessageId: { in: session.removedTurns }, revertedAt: null } });
        removedTurns += removed.count;
      }
      // Only what the live path missed: a second sync, or one after the live path saw it all, writes nothing.
      if (!session.busy && (changed.has(session.opencodeId) || current?.status !== data.status)) await recordBoundary(tx, id, lastSeq, data.status);
    }
    // Nothing rejected: every planned message is now as the runner has it.
    if (prepared.verify && plan.rejected.length === 0) await storeFingerprints(tx, ids, target.rootOpencodeId, prepared.verify);
    const tree = await tx.session.updateMany({
      where: { rootId },
      data: { archiveState: "archived", archiveError: null, lastArchivedAt: now },
    });
    await hooks.beforeCommit?.();
    // Last, so that the lock order matches the live writer's (content rows, then the root).
    const guarded = await tx.session.updateMany({
      where: { id: rootId, archiveVersion: readVersion },
      data: { archiveVersion: readVersion + 1 },
    });
    if (guarded.count !== 1) throw new ArchiveConflictError(`Another sync of ${target.rootOpencodeId} committed first.`);
    return {
      rootId,
      version: readVersion + 1,
      changes: content.length,
      removedTurns,
      sessions: tree.count,
      rejected: plan.rejected.length,
    };
  }, TX_OPTIONS);
}

type Planned = SyncPlan["events"][number];
type PartUpserted = Extract<Planned, { kind: "part.upserted" }>;
type MessageUpserted = Extract<Planned, { kind: "message.upserted" }>;

/**
 * The same writes, keyed the same way, as the live path's (upserts by opencode ids), except
 * that runs of messages and parts the archive does not hold yet are inserted in bulk: a full
 * sync costs a few statements per table, an incremental one a round trip per changed row.
 */
async function writeEvents(tx: Tx, ids: ArchiveIds, rootId: string, events: SyncPlan["events"], now: Date, sessions: TreeSessions) {
  const known = await storedRows(tx, rootId, events, sessions);
  let messages: MessageUpserted[] = [];
  let parts: PartUpserted[] = [];
  const flush = async () => {
    await insertNewMessages(tx, ids, messages);
    await insertNewParts(tx, ids, parts);
    messages = [];
    parts = [];
  };
  // Only the last turn start of a session writes its status and boundary: the rest are overwritten.
  const lastStart = new Map<string, Planned>();
  for (const event of events) if (event.kind === "turn.started") lastStart.set(event.sessionId, event);
  for (const event of events) {
    if (event.kind === "turn.started" && lastStart.get(event.sessionId) !== event) {
      // Its turn row only, which nothing buffered waits for: the run of new rows goes on.
      await startSupersededTurn(tx, ids, event);
      continue;
    }
    const fresh = newRow(event, known);
    if (fresh) {
      known.add(fresh);
      if (event.kind === "message.upserted") messages.push(event);
      else if (event.kind === "part.upserted") parts.push(event);
      continue;
    }
    // Anything else may depend on those rows (or they on it): keep the order.
    await flush();
    await applyEvent(tx, ids, event, now);
  }
  await flush();
}

/**
 * Which of the plan's messages and parts the archive holds, as `<session>:<opencode id>` keys:
 * an incremental sync asks for its few ids, a full one reads the tree's ids.
 */
async function storedRows(tx: Tx, rootId: string, events: SyncPlan["events"], sessions: TreeSessions): Promise<Set<string>> {
  const ids = events.flatMap((e) => (e.kind === "message.upserted" ? [e.message.id] : e.kind === "part.upserted" ? [e.part.id] : []));
  const where = ids.length > LOOKUP_BY_ID ? { session: { rootId } } : { session: { rootId }, opencodeId: { in: ids } };
  const select = { opencodeId: true, sessionId: true };
  // One after the other: a transaction is one connection.
  const rows = [...(await tx.message.findMany({ where, select })), ...(await tx.part.findMany({ where, select }))];
  // Sessions by row id from the tree's rows (a relation select would cost a statement per table),
  // and those the live path added since they were read.
  const names = new Map([...sessions].map(([opencodeId, row]) => [row.id, opencodeId]));
  const added = [...new Set(rows.map((row) => row.sessionId))].filter((id) => !names.has(id));
  if (added.length > 0) {
    for (const row of await tx.session.findMany({ where: { id: { in: added } }, select: { id: true, opencodeId: true } })) names.set(row.id, row.opencodeId);
  }
  // Never forgotten: a removal the archive keeps (reverted, interrupted) leaves the row there.
  return new Set(rows.map((row) => treeKey(names.get(row.sessionId)!, row.opencodeId)));
}

/** The key of a message or part the archive does not hold and a bulk insert can write, else undefined. */
function newRow(event: Planned, known: Set<string>): string | undefined {
  const key =
    event.kind === "message.upserted" && insertableMessage(event)
      ? treeKey(event.sessionId, event.message.id)
      : event.kind === "part.upserted" && !event.part.tool?.childSessionId
        ? treeKey(event.sessionId, event.part.id)
        : undefined;
  return key && !known.has(key) ? key : undefined;
}

/** The tree's session rows by opencode id. */
type TreeSessions = ReadonlyMap<string, { id: string; status: SessionStatus; statusReason: string | null; lastActivityAt: Date }>;

async function treeRows(tx: Tx, target: SyncTarget): Promise<{ version: number; sessions: TreeSessions }> {
  const root = await tx.session.findUnique({
    where: { runnerId_opencodeId: { runnerId: target.runnerId, opencodeId: target.rootOpencodeId } },
    select: { id: true, archiveVersion: true },
  });
  const rows = root
    ? await tx.session.findMany({ where: { rootId: root.id }, select: { id: true, opencodeId: true, status: true, statusReason: true, lastActivityAt: true } })
    : [];
  return { version: root?.archiveVersion ?? 0, sessions: new Map(rows.map((row) => [row.opencodeId, row])) };
}

async function writeTurns(tx: Tx, sessionId: string, turns: SyncPlan["sessions"][number]["turns"], additive: boolean) {
  if (turns.length === 0) return;
  const rows = await tx.turn.findMany({ where: { sessionId }, select: { id: true, userMessageId: true, status: true, error: true, startedAt: true, endedAt: true } });
  const byUser = new Map(rows.map((r) => [r.userMessageId, r]));
  for (const turn of turns) {
    const row = byUser.get(turn.userMessageId);
    if (!row) continue;
    const ended = turn.ended;
    // An older copy (an import) does not take a turn back to an earlier end.
    if (additive && row.endedAt && ended?.endedAt !== undefined && ended.endedAt < row.endedAt.getTime()) continue;
    // A failure the live path recorded (abort, runner restart) is kept over a clean-looking end.
    const keepFailure = ended?.status === "completed" && (row.status === "error" || row.status === "aborted");
    const data = {
      ...(turn.startedAt !== undefined ? { startedAt: new Date(turn.startedAt) } : {}),
      ...(ended && !keepFailure
        ? { status: ended.status, error: ended.error, endedAt: ended.endedAt === undefined ? undefined : new Date(ended.endedAt) }
        : {}),
      ...(ended && keepFailure && ended.endedAt !== undefined ? { endedAt: new Date(ended.endedAt) } : {}),
    };
    if (changes(row, data)) await tx.turn.update({ where: { id: row.id }, data });
  }
}

/** Lost to another writer: a sync that committed first, or a concurrent insert of the same row. */
function isLostRace(error: unknown): boolean {
  if (error instanceof ArchiveConflictError) return true;
  const code = (error as { code?: unknown } | null)?.code;
  return code === "P2002" || isWriteConflict(error) || isRawUniqueViolation(error);
}

/** A raw statement's (a bulk insert's) unique violation: Prisma reports it as P2010, not P2002. */
function isRawUniqueViolation(error: unknown): boolean {
  const { code, meta } = (error ?? {}) as { code?: unknown; meta?: { driverAdapterError?: { cause?: { kind?: unknown } } } };
  return code === "P2010" && meta?.driverAdapterError?.cause?.kind === "UniqueConstraintViolation";
}

/** Whether writing `data` would change `row` (undefined leaves a column as it is; dates compare by time). */
function changes(row: Record<string, unknown>, data: Record<string, unknown>): boolean {
  return Object.entries(data).some(([key, value]) => {
    if (value === undefined) return false;
    const current = row[key];
    return value instanceof Date && current instanceof Date ? value.getTime() !== current.getTime() : value !== current;
  });
}

function latest(current: Date | undefined, planned: number | undefined): Date | undefined {
  if (planned === undefined) return current;
  if (!current) return new Date(planned);
  return current.getTime() >= planned ? current : new Date(planned);
}

/** A failed sync leaves the archive as it was and says why; a lost race says nothing. */
async function recordFailure(db: PrismaClient, target: SyncTarget, error: unknown, readVersion: number | undefined) {
  const root = await db.session
    .findUnique({
      where: { runnerId_opencodeId: { runnerId: target.runnerId, opencodeId: target.rootOpencodeId } },
      select: { id: true, archiveVersion: true, lastArchivedAt: true },
    })
    .catch(() => null);
  if (!root || (error instanceof ArchiveError && error.kind === "purged")) return;
  if (error instanceof ArchiveConflictError) {
    // The winner committed a complete archive: this tree is archived, not stuck "syncing".
    if (readVersion !== undefined && root.archiveVersion > readVersion) {
      await db.session.updateMany({ where: { rootId: root.id, archiveState: "syncing" }, data: { archiveState: "archived" } });
    }
    return;
  }
  await db.session
    .updateMany({ where: { rootId: root.id }, data: { archiveState: "failed", archiveError: shortMessage(error) } })
    .catch(() => undefined);
}
