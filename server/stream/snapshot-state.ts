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
import { SessionBoundary } from "./session-boundary";

// The materialized state of a whole session tree, as a reconnecting client needs it to render
// without replaying history. Maps are keyed by opencode id; opencode ids sort chronologically.

/**
 * A session whose view holds only its latest parts: the `older` parts before `partId` (of
 * message `messageId`, the earliest message whose parts the view may hold) are left out of the
 * snapshot and load on demand (server/store/older-parts.ts). Messages and turns are all there.
 */
export const PartWindow = z.object({ partId: Id, messageId: Id, older: z.number().int().positive() });
export type PartWindow = z.infer<typeof PartWindow>;

export const SessionView = z.object({
  sessionId: Id,
  // Absent until the session's info was seen.
  session: SessionInfo.optional(),
  status: SessionStatus,
  retry: RetryInfo.optional(),
  error: ErrorInfo.optional(),
  // reverted: undone by a revert (pending, or made permanent by the next prompt); the store keeps
  // its rows, and the live view shows them marked. Set from the store: a revert resyncs viewers.
  // failed: how the turn ended badly (aborted, or an error), kept once a later turn started and
  // `error` (the latest turn's) was cleared: its answers may not say it (an abort while retrying).
  turns: z.array(Turn.extend({ stalled: z.boolean(), reverted: z.literal(true).optional(), failed: ErrorInfo.optional() })),
  messages: z.record(Id, MessageInfo.extend({ turnId: TurnId })),
  parts: z.record(Id, PartInfo.extend({ turnId: TurnId })),
  todos: z.array(Todo),
  // Null until the session's first turn boundary.
  boundary: SessionBoundary.nullable(),
  // Requests still waiting for an answer.
  permissions: z.record(Id, PermissionRequest.extend({ turnId: TurnId.optional() })),
  questions: z.record(Id, QuestionRequest.extend({ turnId: TurnId.optional() })),
  // Absent: every part is here.
  window: PartWindow.optional(),
});
export type SessionView = z.infer<typeof SessionView>;

export const SnapshotState = z.object({ rootSessionId: Id, sessions: z.record(Id, SessionView) });
export type SnapshotState = z.infer<typeof SnapshotState>;
