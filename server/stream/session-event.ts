import { z } from "zod";
import {
  ErrorInfo,
  Id,
  MessageInfo,
  PartInfo,
  PermissionRequest,
  QuestionRequest,
  RetryInfo,
  SessionInfo,
  SessionStatus,
  Todo,
  Turn,
  TurnId,
} from "./entities";
import { SnapshotState } from "./snapshot-state";

// The one event type that flows from the normalizer to the store, the hub and browsers.
// rootSessionId keys the stream (one seq space per root); sessionId is the session inside the
// tree the event is about (the root itself or a sub-agent at any depth).
const envelope = {
  rootSessionId: Id,
  sessionId: Id,
  seq: z.number().int().positive(),
};
// Turn-scoped events always carry the turn they belong to.
const inTurn = { ...envelope, turnId: TurnId };

export const SessionEvent = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("session.upserted"), ...envelope, session: SessionInfo }),
  z.object({ kind: z.literal("session.deleted"), ...envelope }),
  z.object({ kind: z.literal("session.status"), ...envelope, status: SessionStatus, retry: RetryInfo.optional() }),
  z.object({ kind: z.literal("session.error"), ...envelope, error: ErrorInfo.optional() }),
  z.object({ kind: z.literal("session.compacted"), ...envelope }),
  z.object({ kind: z.literal("turn.started"), ...inTurn, turn: Turn }),
  // Emitted by the bridge's watchdog through Normalizer.markStalled.
  z.object({ kind: z.literal("turn.stalled"), ...inTurn, silentForMs: z.number().nonnegative() }),
  z.object({ kind: z.literal("message.upserted"), ...inTurn, message: MessageInfo }),
  z.object({ kind: z.literal("message.removed"), ...inTurn, messageId: Id }),
  z.object({ kind: z.literal("part.upserted"), ...inTurn, messageId: Id, part: PartInfo }),
  z.object({
    kind: z.literal("part.delta"),
    ...inTurn,
    messageId: Id,
    partId: Id,
    field: z.string(),
    delta: z.string(),
    // Set when consecutive deltas were merged into this one: it stands for fromSeq..seq.
    fromSeq: z.number().int().positive().optional(),
  }),
  z.object({ kind: z.literal("part.removed"), ...inTurn, messageId: Id, partId: Id }),
  // Requests are session-scoped: turnId is set only when the tool message that asked is known.
  z.object({
    kind: z.literal("permission.asked"),
    ...envelope,
    turnId: TurnId.optional(),
    request: PermissionRequest,
  }),
  z.object({ kind: z.literal("permission.replied"), ...envelope, requestId: Id, reply: z.string() }),
  z.object({ kind: z.literal("question.asked"), ...envelope, turnId: TurnId.optional(), request: QuestionRequest }),
  z.object({
    kind: z.literal("question.replied"),
    ...envelope,
    requestId: Id,
    answers: z.array(z.array(z.string())),
  }),
  z.object({ kind: z.literal("question.rejected"), ...envelope, requestId: Id }),
  z.object({ kind: z.literal("todo.updated"), ...envelope, todos: z.array(Todo) }),
  // Materialized state of the tree up to and including `seq` (it does not consume a seq):
  // a client that receives it continues with seq + 1.
  z.object({ kind: z.literal("snapshot"), ...envelope, seq: z.number().int().nonnegative(), state: SnapshotState }),
]);
export type SessionEvent = z.infer<typeof SessionEvent>;

/**
 * Whether an event is something the agent's session did, which dates its last activity: not the
 * app's own stall report, nor a deletion (the team's act, dated by the session's deletedAt), nor
 * an idle status (a reconcile says it of every idle session; the store dates a turn's end itself).
 */
export function isSessionActivity(event: SessionEvent): boolean {
  return event.kind !== "turn.stalled" && event.kind !== "session.deleted" && !(event.kind === "session.status" && event.status === "idle");
}
export type SessionEventKind = SessionEvent["kind"];

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
// What translation produces before the normalizer stamps ids and a seq on it.
export type SessionEventDraft = DistributiveOmit<SessionEvent, "rootSessionId" | "sessionId" | "seq">;
