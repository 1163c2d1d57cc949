import type { Tx } from "~/server/db";
import { randomUUID } from "node:crypto";
import { Prisma } from "~/server/generated/prisma/client";
import type { SessionEvent } from "~/server/stream/session-event";
import type { ErrorInfo } from "~/server/stream/entities";
import { userMessageIdOf } from "~/server/stream/turn-tracker";
import { ABORTED_ERROR, describeError } from "~/server/stream/error-text";
import type { ArchiveIds } from "./ids";
import { encodeText } from "./lossless-text";
import { shortMessage } from "./short-message";
import { recordBoundary, updateBoundaryRow } from "./session-boundary";
import { closeRequestWait, closeUnansweredWaits, interruptOpenTools, openRequestWait, recordRetry } from "./trace-writes";
import { messageFields } from "./message-fields";
import { isOpenRequest } from "./request-answers";
import { turnOpenStatuses } from "~/server/stream/session-status";
import { bulkInsert, MESSAGE_COLUMNS, MESSAGE_REFERENCES, PART_COLUMNS, PART_REFERENCES, TOOL_SPAN_COLUMNS, TOOL_SPAN_COPIED, TOOL_SPAN_REFERENCES } from "./bulk-insert";
import { partFields, spanFields } from "./part-fields";

type Of<K extends SessionEvent["kind"]> = Extract<SessionEvent, { kind: K }>;

const date = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms));
const json = (value: unknown) => value as Prisma.InputJsonValue;

/**
 * Writes one event into the archive inside the batch's transaction. Every write is an upsert
 * keyed by opencode ids, so replaying an event (reconnect, reconcile) changes nothing.
 */
export async function applyEvent(tx: Tx, ids: ArchiveIds, event: SessionEvent, now: Date): Promise<void> {
  const sessionId = await ids.session(tx, event.sessionId, event.rootSessionId);
  switch (event.kind) {
    case "session.upserted":
      return upsertSession(tx, ids, event, sessionId);
    case "session.deleted":
      await tx.session.update({ where: { id: sessionId }, data: { deletedAt: now } });
      return;
    case "session.status":
      await recordRetry(tx, event, sessionId, now);
      if (event.status === "idle") {
        await interruptOpenTools(tx, sessionId, now);
        await completeOpenTurns(tx, sessionId, now);
        const ended = await endedStatus(tx, sessionId);
        // A turn that ends is activity; an idle said again (a reconcile after a restart) is not.
        await tx.session.updateMany({ where: { id: sessionId, status: { in: [...turnOpenStatuses] } }, data: { lastActivityAt: now } });
        await tx.session.update({ where: { id: sessionId }, data: ended });
        await recordBoundary(tx, sessionId, event.seq, ended.status);
        await closeRequestsAtIdle(tx, sessionId, event.seq, now);
        return;
      }
      await tx.session.update({
        where: { id: sessionId },
        data: { status: event.status, statusReason: event.retry ? shortMessage(event.retry.message) : null, lastActivityAt: now },
      });
      if (event.status === "running") {
        // A stalled turn that streams again was only slow.
        await tx.turn.updateMany({ where: { sessionId, status: "stalled" }, data: { status: "running", error: null } });
      }
      return;
    case "session.error":
      await interruptOpenTools(tx, sessionId, now);
      if (event.error?.name === ABORTED_ERROR) return markLastTurnAborted(tx, sessionId, now);
      await tx.session.update({
        where: { id: sessionId },
        data: {
          status: "error",
          statusReason: describeError(event.error),
          // Not silently reused: the next prompt must be confirmed.
          ...(event.error?.name === RUNNER_RESTARTED.name ? { stale: true } : {}),
        },
      });
      await tx.turn.updateMany({
        where: { sessionId, status: { in: ["running", "stalled"] } },
        data: { status: "error", error: describeError(event.error), endedAt: now },
      });
      return;
    case "session.compacted":
      return;
    case "turn.started":
      await ids.turn(tx, sessionId, event.turnId, event.turn.index);
      await tx.session.update({ where: { id: sessionId }, data: { status: "running", lastActivityAt: now } });
      await recordBoundary(tx, sessionId, event.seq, "running");
      return;
    case "turn.stalled": {
      const turnId = await ids.turn(tx, sessionId, event.turnId);
      await tx.turn.update({ where: { id: turnId }, data: { status: "stalled", error: `No event for ${Math.round(event.silentForMs / 1000)} s` } });
      await tx.session.update({ where: { id: sessionId }, data: { status: "stalled", statusReason: "The runner stopped sending events" } });
      return;
    }
    case "message.upserted":
      return upsertMessage(tx, ids, event, sessionId);
    case "message.removed":
      if (await keepsRemovals(tx, sessionId, event.turnId)) return;
      await tx.message.deleteMany({ where: { sessionId, opencodeId: event.messageId } });
      ids.forgetMessage(sessionId, event.messageId);
      return;
    case "part.upserted":
      return upsertPart(tx, ids, event, sessionId);
    case "part.delta":
      if (event.field !== "text") return;
      // Appending in SQL keeps a long stream one small write per batch instead of a rewrite.
      await tx.$executeRaw`UPDATE "Part" SET "text" = COALESCE("text", '') || ${encodeText(event.delta)}, "updatedAt" = ${now}
        WHERE "sessionId" = ${sessionId} AND "opencodeId" = ${event.partId}`;
      return;
    case "part.removed":
      if (await keepsRemovals(tx, sessionId, event.turnId)) return;
      await tx.part.deleteMany({ where: { sessionId, opencodeId: event.partId } });
      return;
    case "permission.asked":
    case "question.asked":
      await tx.session.update({ where: { id: sessionId }, data: { status: "waiting", statusReason: null } });
      await openRequestWait(tx, ids, event, sessionId, now);
      return updateRequests(tx, sessionId, event.seq, (requests) => [
        ...requests.filter((r) => r.id !== event.request.id),
        { ...event.request, type: event.kind === "permission.asked" ? "permission" : "question", turnId: event.turnId },
      ]);
    case "permission.replied":
    case "question.replied":
    case "question.rejected": {
      await closeRequestWait(tx, event, sessionId, now);
      await updateRequests(tx, sessionId, event.seq, (requests) => requests.filter((r) => r.id !== event.requestId));
      await tx.session.updateMany({ where: { id: sessionId, status: "waiting" }, data: { status: "running" } });
      return;
    }
    case "todo.updated":
      return updateBoundaryRow(tx, sessionId, event.seq, { todos: event.todos });
    case "snapshot":
      return;
  }
}

/**
 * A turn start that a later start of the same session's turn, in the same transaction, makes
 * moot: its turn row only. The session's status and activity and its boundary row are written
 * again, whole, by the later start (a full sync of a tree with many turns saves five round
 * trips a turn).
 */
export async function startSupersededTurn(tx: Tx, ids: ArchiveIds, event: Of<"turn.started">): Promise<void> {
  const sessionId = await ids.session(tx, event.sessionId, event.rootSessionId);
  await ids.turn(tx, sessionId, event.turnId, event.turn.index);
}

async function upsertSession(tx: Tx, ids: ArchiveIds, event: Of<"session.upserted">, sessionId: string) {
  const { session } = event;
  await tx.session.update({
    where: { id: sessionId },
    data: {
      title: session.title,
      directory: session.directory,
      agent: session.agent,
      providerId: session.providerId,
      modelId: session.modelId,
      tokensInput: session.tokens.input,
      tokensOutput: session.tokens.output,
      tokensReasoning: session.tokens.reasoning,
      tokensCacheRead: session.tokens.cacheRead,
      tokensCacheWrite: session.tokens.cacheWrite,
      cost: session.cost,
      revert: session.revert === null ? Prisma.DbNull : json(session.revert),
      createdAt: date(session.createdAt),
    },
  });
  if (session.parentId) {
    const parentId = await ids.session(tx, session.parentId, event.rootSessionId);
    await tx.sessionRelation.upsert({
      where: { parentId_childId_kind: { parentId, childId: sessionId, kind: "subagent" } },
      create: { parentId, childId: sessionId, kind: "subagent" },
      update: {},
    });
  }
}

/** The error a turn gets when its runner died under it (see server/services.ts). */
export const RUNNER_RESTARTED = {
  name: "RunnerRestarted",
  message: "The runner restarted during this turn; it was interrupted.",
} as const;

/**
 * A restarted runner has forgotten what it streamed but never saved: a reconcile or sync then
 * lists less than the archive holds. The archive keeps an interrupted turn's content.
 */
/**
 * The runner deletes messages the archive keeps: those of a turn its death interrupted, and
 * those of a reverted turn once a new prompt commits the revert (history is never silently
 * deleted; the rows stay, marked reverted).
 */
async function keepsRemovals(tx: Tx, sessionId: string, turnId: string): Promise<boolean> {
  const turn = await tx.turn.findUnique({
    where: { sessionId_userMessageId: { sessionId, userMessageId: userMessageIdOf(turnId) } },
    select: { status: true, error: true, revertedAt: true },
  });
  return isInterrupted(turn) || Boolean(turn?.revertedAt);
}

function isInterrupted(turn: { status: string; error: string | null } | null): boolean {
  return turn?.status === "error" && turn.error === RUNNER_RESTARTED.message;
}

/** The text to store for a part: never shorter than what an interrupted turn already holds. */
async function keptText(tx: Tx, sessionId: string, turnRowId: string, partId: string, text: string | undefined) {
  if (text === undefined) return undefined;
  if (!isInterrupted(await tx.turn.findUnique({ where: { id: turnRowId }, select: { status: true, error: true } }))) return text;
  const stored = await tx.part.findUnique({ where: { sessionId_opencodeId: { sessionId, opencodeId: partId } }, select: { text: true } });
  return stored?.text && stored.text.length > text.length && stored.text.startsWith(text) ? stored.text : text;
}

/**
 * What a session is once its runner goes idle: `error` while its latest turn failed (opencode
 * reports the failure, then idle), so a failed run never reads as a finished one.
 */
export async function endedStatus(tx: Tx, sessionId: string): Promise<{ status: "idle" | "error"; statusReason: string | null }> {
  const last = await tx.turn.findFirst({ where: { sessionId }, orderBy: { index: "desc" }, select: { status: true, error: true } });
  return last?.status === "error" ? { status: "error", statusReason: last.error } : { status: "idle", statusReason: null };
}

/**
 * A failed answer fails its turn, and its idle session when that turn is the latest: a reconcile
 * or a sync sees the answer's error, never the `session.error` the live stream had.
 */
async function recordFailure(tx: Tx, sessionId: string, turnRowId: string, error: ErrorInfo) {
  const reason = describeError(error);
  await tx.turn.updateMany({ where: { id: turnRowId, status: { notIn: ["error", "aborted"] } }, data: { status: "error", error: reason } });
  const latest = await tx.turn.findFirst({ where: { sessionId }, orderBy: { index: "desc" }, select: { id: true } });
  if (latest?.id === turnRowId) await tx.session.updateMany({ where: { id: sessionId, status: "idle" }, data: { status: "error", statusReason: reason } });
}

/** An abort always concerns the session's latest turn, whatever state idle left it in. */
async function markLastTurnAborted(tx: Tx, sessionId: string, now: Date) {
  const last = await tx.turn.findFirst({ where: { sessionId }, orderBy: { index: "desc" }, select: { id: true, endedAt: true } });
  if (!last) return;
  await tx.turn.update({ where: { id: last.id }, data: { status: "aborted", error: "Aborted", endedAt: last.endedAt ?? now } });
}

/**
 * Turns that end as the session goes idle end when their last answer completed, by the runner's
 * clock (as a full sync says, server/archive/plan.ts), else now: a fork's copied turns, all
 * reconciled at once, end when the source's did, not at the fork.
 */
async function completeOpenTurns(tx: Tx, sessionId: string, now: Date) {
  const open = await tx.turn.findMany({ where: { sessionId, status: { in: ["running", "stalled"] } }, select: { id: true, startedAt: true } });
  for (const turn of open) {
    const { _max } = await tx.message.aggregate({ where: { turnId: turn.id }, _max: { completedAt: true } });
    const endedAt = _max.completedAt && _max.completedAt >= turn.startedAt ? _max.completedAt : now;
    await tx.turn.update({ where: { id: turn.id }, data: { status: "completed", endedAt, error: null } });
  }
}

async function upsertMessage(tx: Tx, ids: ArchiveIds, event: Of<"message.upserted">, sessionId: string) {
  const { message } = event;
  const turnId = await ids.turn(tx, sessionId, event.turnId);
  // A turn starts when its prompt was sent, by the runner's clock (the row was made when it was first seen).
  if (message.role === "user" && message.createdAt !== undefined && userMessageIdOf(event.turnId) === message.id) {
    await tx.turn.update({ where: { id: turnId }, data: { startedAt: new Date(message.createdAt) } });
  }
  if (message.error?.name === ABORTED_ERROR) {
    await tx.turn.update({ where: { id: turnId }, data: { status: "aborted", error: "Aborted" } });
  } else if (message.error) await recordFailure(tx, sessionId, turnId, message.error);
  const fields = { turnId, ...messageFields(message) };
  const row = await tx.message.upsert({
    where: { sessionId_opencodeId: { sessionId, opencodeId: message.id } },
    create: { sessionId, opencodeId: message.id, createdAt: date(message.createdAt) ?? new Date(), ...fields },
    update: fields,
    select: { id: true },
  });
  ids.rememberMessage(sessionId, message.id, row.id);
}

/** The row ids a part hangs from. */
async function partParents(tx: Tx, ids: ArchiveIds, event: Of<"part.upserted">, sessionId: string) {
  const turnId = await ids.turn(tx, sessionId, event.turnId);
  const messageId = await ids.message(tx, sessionId, event.messageId);
  if (!messageId) throw new Error(`part ${event.part.id} of session ${event.sessionId} arrived before its message ${event.messageId}`);
  return { turnId, messageId };
}

async function upsertPart(tx: Tx, ids: ArchiveIds, event: Of<"part.upserted">, sessionId: string) {
  const { part } = event;
  const { turnId, messageId } = await partParents(tx, ids, event, sessionId);
  const fields = partFields(part, turnId, await keptText(tx, sessionId, turnId, part.id, part.text ?? undefined));
  const row = await tx.part.upsert({
    where: { sessionId_opencodeId: { sessionId, opencodeId: part.id } },
    create: { sessionId, messageId, opencodeId: part.id, ...fields },
    update: fields,
    select: { id: true },
  });
  if (!part.tool) return;
  const span = spanFields(part.tool, turnId);
  let childSessionId: string | undefined;
  if (part.tool.childSessionId) {
    childSessionId = await ids.session(tx, part.tool.childSessionId, event.rootSessionId);
    await tx.sessionRelation.upsert({
      where: { parentId_childId_kind: { parentId: sessionId, childId: childSessionId, kind: "subagent" } },
      create: { parentId: sessionId, childId: childSessionId, kind: "subagent", toolCallId: part.tool.callId, turnId },
      update: { toolCallId: part.tool.callId, turnId },
    });
  }
  await tx.toolSpan.upsert({
    where: { partId: row.id },
    create: { sessionId, partId: row.id, childSessionId, ...span },
    update: { childSessionId, ...span },
  });
}

type PendingRequest = { id: string; type?: string; [key: string]: unknown };

/**
 * An idle session waits on nobody: the requests its turn asked are over (an abort ends the turn,
 * but opencode keeps listing its request and takes answers that do nothing). Recorded answers stay.
 */
async function closeRequestsAtIdle(tx: Tx, sessionId: string, seq: number, now: Date) {
  const current = await tx.sessionBoundary.findUnique({ where: { sessionId }, select: { requests: true } });
  const requests = (current?.requests as PendingRequest[] | undefined) ?? [];
  const kept = requests.filter((r) => !isOpenRequest(r));
  if (kept.length === requests.length) return;
  await updateBoundaryRow(tx, sessionId, seq, { requests: kept });
  await closeUnansweredWaits(tx, sessionId, now);
}

async function updateRequests(tx: Tx, sessionId: string, seq: number, change: (requests: PendingRequest[]) => PendingRequest[]) {
  const current = await tx.sessionBoundary.findUnique({ where: { sessionId }, select: { requests: true } });
  await updateBoundaryRow(tx, sessionId, seq, { requests: change((current?.requests as PendingRequest[] | undefined) ?? []) });
}

/**
 * Inserts parts that are not stored yet, with their tool spans, in a few statements
 * (`bulkInsert`): what `applyEvent` would write for them, without two round trips per part (a
 * full sync of a 10,000-part tree). Parts that spawn a sub-agent take `applyEvent` (they link a session).
 */
export async function insertNewParts(tx: Tx, ids: ArchiveIds, events: readonly Of<"part.upserted">[]): Promise<void> {
  const parts: Record<string, unknown>[] = [];
  const spans: Record<string, unknown>[] = [];
  const now = new Date();
  for (const event of events) {
    if (event.part.tool?.childSessionId) throw new Error(`part ${event.part.id} links a sub-agent: write it with applyEvent`);
    const sessionId = await ids.session(tx, event.sessionId, event.rootSessionId);
    const { turnId, messageId } = await partParents(tx, ids, event, sessionId);
    const id = randomUUID();
    parts.push({ id, sessionId, messageId, opencodeId: event.part.id, updatedAt: now, ...partFields(event.part, turnId, event.part.text ?? undefined) });
    if (event.part.tool) {
      // Input, output and error come from the part's row (TOOL_SPAN_COPIED); only an output cut at the cap is sent.
      const { input: _input, output, error: _error, ...span } = spanFields(event.part.tool, turnId);
      spans.push({ id: randomUUID(), sessionId, partId: id, ...span, cappedOutput: span.outputTruncated ? output : undefined });
    }
  }
  await bulkInsert(
    tx,
    { table: "Part", columns: PART_COLUMNS, references: PART_REFERENCES, rows: parts },
    { table: "ToolSpan", columns: TOOL_SPAN_COLUMNS, references: TOOL_SPAN_REFERENCES, copied: TOOL_SPAN_COPIED, rows: spans },
  );
}

/** Whether `insertNewMessages` writes this event as `applyEvent` would (a failed or aborted message also marks its turn). */
export function insertableMessage(event: Of<"message.upserted">): boolean {
  return !event.message.error;
}

/**
 * Inserts messages that are not stored yet in a few statements (`bulkInsert`), as
 * `applyEvent`'s upsert would create them, and remembers their row ids for their parts.
 */
export async function insertNewMessages(tx: Tx, ids: ArchiveIds, events: readonly Of<"message.upserted">[]): Promise<void> {
  const rows: Record<string, unknown>[] = [];
  for (const event of events) {
    if (!insertableMessage(event)) throw new Error(`message ${event.message.id} failed or was aborted: write it with applyEvent`);
    const { message } = event;
    const sessionId = await ids.session(tx, event.sessionId, event.rootSessionId);
    const turnId = await ids.turn(tx, sessionId, event.turnId);
    const id = randomUUID();
    rows.push({ id, sessionId, opencodeId: message.id, createdAt: date(message.createdAt) ?? new Date(), turnId, ...messageFields(message) });
  }
  await bulkInsert(tx, { table: "Message", columns: MESSAGE_COLUMNS, references: MESSAGE_REFERENCES, rows });
  for (const [i, event] of events.entries()) ids.rememberMessage(rows[i]!.sessionId as string, event.message.id, rows[i]!.id as string);
}
