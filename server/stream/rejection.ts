import { z } from "zod";

// Why an input produced no event. The normalizer never throws and never guesses: anything it
// cannot place is returned as a Rejection for the caller to log (and, for the turn/message
// reasons, to treat as a hint that a reconcile from the runner is due).
export const RejectionReason = z.enum([
  // Not JSON, too large or deep, wrong shape, or no session to route it to.
  "invalid_event",
  // Dropped from the pending buffer before the root of its session was learned.
  "root_unknown",
  // A part, delta or removal for a message (or part) never seen.
  "message_unknown",
  // An assistant message whose user message, hence turn, is unknown.
  "turn_unresolved",
  // Contradicts the turn or message already recorded for the same id.
  "turn_conflict",
  // A watchdog report for a turn the normalizer does not know.
  "turn_unknown",
  // A parent link contradicting the known one. Informational: the event itself still flowed.
  "link_conflict",
  // Translation produced an event that fails the SessionEvent schema (a bug, never expected).
  "invalid_output",
]);
export type RejectionReason = z.infer<typeof RejectionReason>;

export const Rejection = z.object({
  reason: RejectionReason,
  message: z.string(),
  eventType: z.string().optional(),
  eventId: z.string().optional(),
  sessionId: z.string().optional(),
  messageId: z.string().optional(),
  partId: z.string().optional(),
  parentMessageId: z.string().optional(),
  turnId: z.string().optional(),
  childSessionId: z.string().optional(),
});
export type Rejection = z.infer<typeof Rejection>;
