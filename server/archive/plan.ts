import { Normalizer, type PushResult, type Rejection, type SeedInput, type SessionEvent, type SessionStatus } from "~/server/stream";
import { RawMessageWithParts } from "~/server/stream/raw-event";
import { shortMessage } from "~/server/store/short-message";
import { toError, toStatus } from "~/server/stream/to-entities";
import { ABORTED_ERROR, describeError } from "~/server/stream/error-text";
import { treeKey } from "./fingerprints";
import { messageIdOf, parentsFirst, type SourceSession, type SourceTree } from "./source";

export type TurnOutcome = {
  userMessageId: string;
  /** When the prompt was sent (the user message's creation). */
  startedAt?: number;
  /** Idle sessions only: how the turn ended, from its assistant messages. */
  ended?: { status: "completed" | "error" | "aborted"; error: string | null; endedAt?: number };
};

export type PlannedSession = {
  opencodeId: string;
  parentId: string | null;
  /** The runner's view: idle, or busy (running, possibly retrying). */
  busy: boolean;
  status: SessionStatus;
  statusReason: string | null;
  /** Latest time the source shows activity (session update, message creation/completion). */
  lastActivityAt?: number;
  turns: TurnOutcome[];
  /** User messages of archived turns the source no longer lists (their turns are removed). */
  removedTurns: string[];
};

export type SyncPlan = {
  root: string;
  /**
   * The normalized events that bring the archive from `archived` to the source's state, in
   * order: apply them with the store's applyEvent, exactly as the live path does. Only what
   * differs is emitted, so an up-to-date archive yields none.
   */
  events: SessionEvent[];
  /** What the normalizer could not place (logged, never guessed). */
  rejected: Rejection[];
  sessions: PlannedSession[];
  /** Planned with `additive`: a turn's end the archive has later than the source's stays. */
  additive: boolean;
};

/**
 * Plans a full sync of one tree: seeds a fresh Normalizer with what the archive holds (turn
 * indexes, messages, parts), then feeds it the source's complete state. The Normalizer's diff
 * (Normalizer.reconcile with removeMissing) yields upserts for what is new or changed and
 * removals for what the source no longer has. Pure: no I/O.
 *
 * `verified` (`<session>:<message>` keys) names source messages the archive holds unchanged
 * (server/archive/fingerprints.ts): they are left out of the diff, and `archived` must then hold
 * only the other messages (the diff would remove a seeded message it is not shown).
 */
/** `additive`: nothing the source lacks is removed (SyncOptions.additive). */
export function planTreeSync(sourceTree: SourceTree, archived?: SeedInput, verified: ReadonlySet<string> = new Set(), { additive = false } = {}): SyncPlan {
  const normalizer = new Normalizer({ oneShot: true });
  const events: SessionEvent[] = [];
  const rejected: Rejection[] = [];
  const collect = (result: PushResult) => {
    events.push(...result.events);
    rejected.push(...result.rejected);
  };
  if (archived) collect(normalizer.seed(archived));
  const sessions = parentsFirst(sourceTree.root, sourceTree.sessions);
  for (const session of sessions) {
    collect(normalizer.push({ type: "session.updated", properties: { sessionID: session.info.id, info: session.info } }));
  }
  for (const session of sessions) {
    const messages = verified.size > 0 ? session.messages.filter((m) => !verified.has(treeKey(session.info.id, messageIdOf(m)))) : session.messages;
    collect(normalizer.reconcile(session.info.id, messages, { removeMissing: !additive }));
    if (session.todos) {
      collect(normalizer.push({ type: "todo.updated", properties: { sessionID: session.info.id, todos: session.todos } }));
    }
  }
  const archivedTurns = new Map((archived?.sessions ?? []).map((s) => [s.id, (s.turns ?? []).map((t) => t.userMessageId)]));
  return {
    root: sourceTree.root,
    events,
    rejected,
    sessions: sessions.map((session) => planSession(session, additive ? [] : (archivedTurns.get(session.info.id) ?? []))),
    additive,
  };
}

function planSession(session: SourceSession, archivedTurns: string[]): PlannedSession {
  const messages = messagesOf(session);
  const busy = session.status.type !== "idle";
  const { status, retry } = toStatus(session.status);
  const listedUsers = new Set(messages.filter((m) => m.info.role === "user").map((m) => m.info.id));
  const turns = turnOutcomes(messages, !busy);
  // An idle session whose latest turn failed is in error, as the live path leaves it.
  const failed = turns.at(-1)?.ended?.status === "error" ? turns.at(-1)!.ended! : undefined;
  return {
    opencodeId: session.info.id,
    parentId: session.info.parentID ?? null,
    busy,
    status: failed ? "error" : status,
    statusReason: failed ? failed.error : retry ? shortMessage(retry.message) : null,
    lastActivityAt: lastActivity(session, messages),
    turns,
    // A session read in part (source.ts `since`) says nothing of its older turns.
    removedTurns: archivedTurns.filter((id) => !listedUsers.has(id) && (session.since === undefined || id >= session.since)),
  };
}

function messagesOf(session: SourceSession): RawMessageWithParts[] {
  return session.messages.flatMap((entry) => {
    const parsed = RawMessageWithParts.safeParse(entry);
    return parsed.success ? [parsed.data] : [];
  });
}

function lastActivity(session: SourceSession, messages: RawMessageWithParts[]): number | undefined {
  const time = session.info.time as { updated?: unknown; created?: unknown } | undefined;
  const candidates = [time?.updated, time?.created, ...messages.flatMap((m) => [m.info.time?.created, m.info.time?.completed])];
  const numbers = candidates.filter((t): t is number => typeof t === "number" && Number.isFinite(t));
  return numbers.length > 0 ? Math.max(...numbers) : undefined;
}

/**
 * How each turn went, from its messages: it started with its user message; when the session
 * is idle, it ended with its last assistant message, failed if that carries an error.
 */
export function turnOutcomes(messages: RawMessageWithParts[], idle: boolean): TurnOutcome[] {
  const answers = new Map<string, RawMessageWithParts["info"][]>();
  for (const { info } of messages) {
    if (info.role !== "assistant" || !info.parentID) continue;
    answers.set(info.parentID, [...(answers.get(info.parentID) ?? []), info]);
  }
  return messages
    .filter((m) => m.info.role === "user")
    .map(({ info: user }) => {
      const replies = (answers.get(user.id) ?? []).sort((a, b) => (a.time?.created ?? 0) - (b.time?.created ?? 0));
      const outcome: TurnOutcome = { userMessageId: user.id, startedAt: user.time?.created };
      if (!idle) return outcome;
      const failed = [...replies].reverse().find((r) => r.error)?.error;
      const ends = replies.map((r) => r.time?.completed ?? r.time?.created).filter((t): t is number => typeof t === "number");
      outcome.ended = {
        status: !failed ? "completed" : failed.name === ABORTED_ERROR ? "aborted" : "error",
        error: failed ? (failed.name === ABORTED_ERROR ? "Aborted" : describeError(toError(failed))) : null,
        endedAt: ends.length > 0 ? Math.max(...ends) : user.time?.created,
      };
      return outcome;
    });
}
