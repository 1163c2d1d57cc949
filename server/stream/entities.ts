import { z } from "zod";
import { JsonRecord, RawQuestion, RawTodo, ToolStatus } from "./raw-event";

// The normalized shapes of what a session tree contains. Field names follow the Prisma
// models (Session, Message, Part, ToolSpan) so the store maps them one to one; every entity
// keeps the raw opencode object in `data` for fidelity.

export const Id = z.string().min(1);
const Millis = z.number();

// Mirrors `enum SessionStatus` in prisma/schema.prisma (a test keeps them equal).
export const SessionStatus = z.enum(["idle", "running", "waiting", "stalled", "error"]);
export type SessionStatus = z.infer<typeof SessionStatus>;

// opencode's tool state status; `enum ToolSpanStatus` has these and `interrupted` (server/store/tool-span.ts).
export { JsonRecord, ToolStatus };

export const Tokens = z.object({
  input: z.number(),
  output: z.number(),
  reasoning: z.number(),
  cacheRead: z.number(),
  cacheWrite: z.number(),
});
export type Tokens = z.infer<typeof Tokens>;

export function tokenTotal(tokens: Tokens): number {
  return tokens.input + tokens.output + tokens.reasoning + tokens.cacheRead + tokens.cacheWrite;
}

export const ErrorInfo = z.object({ name: z.string(), message: z.string().optional(), data: JsonRecord.optional() });
export type ErrorInfo = z.infer<typeof ErrorInfo>;

export const Revert = z.object({
  messageId: Id,
  partId: Id.optional(),
  snapshot: z.string().optional(),
  diff: z.string().optional(),
});

export const SessionInfo = z.object({
  id: Id,
  parentId: Id.nullable(),
  title: z.string(),
  directory: z.string(),
  agent: z.string().optional(),
  providerId: z.string().optional(),
  modelId: z.string().optional(),
  version: z.string().optional(),
  tokens: Tokens,
  cost: z.number(),
  revert: Revert.nullable(),
  createdAt: Millis.optional(),
  updatedAt: Millis.optional(),
  archivedAt: Millis.optional(),
});
export type SessionInfo = z.infer<typeof SessionInfo>;

// A turn is what one user prompt started. Its id is derived from opencode ids so it is the
// same across reconnects, restarts and replays: `<sessionId>:<userMessageId>`.
export const TurnId = z.string().min(3);
/** 1-based; stored as a 32-bit integer, so an index past that is refused as input, not sent to the database. */
export const TurnIndex = z.number().int().positive().max(2 ** 31 - 1);
export const Turn = z.object({ id: TurnId, index: TurnIndex, userMessageId: Id });
export type Turn = z.infer<typeof Turn>;

export const MessageInfo = z.object({
  id: Id,
  role: z.enum(["user", "assistant"]),
  // Assistant messages: the user message of their turn.
  parentId: Id.optional(),
  agent: z.string().optional(),
  providerId: z.string().optional(),
  modelId: z.string().optional(),
  tokens: Tokens.optional(),
  cost: z.number().optional(),
  finish: z.string().optional(),
  error: ErrorInfo.optional(),
  createdAt: Millis.optional(),
  completedAt: Millis.optional(),
  data: JsonRecord,
});
export type MessageInfo = z.infer<typeof MessageInfo>;

export const ToolCall = z.object({
  callId: Id,
  name: z.string(),
  status: ToolStatus,
  input: JsonRecord,
  output: z.string().optional(),
  error: z.string().optional(),
  title: z.string().optional(),
  metadata: JsonRecord.optional(),
  startedAt: Millis.optional(),
  endedAt: Millis.optional(),
  // Tool `task` only: the sub-agent session this call spawned.
  childSessionId: Id.optional(),
  // Tool `task` in a fork only: the call was copied from the source session, and this is the
  // sub-agent the source's call spawned (a session of the source's tree).
  sourceChildSessionId: Id.optional(),
});
export type ToolCall = z.infer<typeof ToolCall>;

export const PartInfo = z.object({
  id: Id,
  messageId: Id,
  type: z.string(),
  // text and reasoning parts.
  text: z.string().optional(),
  startedAt: Millis.optional(),
  endedAt: Millis.optional(),
  tool: ToolCall.optional(),
  // step-finish parts: per-step usage, for the token breakdown of traces.
  step: z.object({ reason: z.string().optional(), cost: z.number(), tokens: Tokens }).optional(),
  data: JsonRecord,
});
export type PartInfo = z.infer<typeof PartInfo>;

const ToolRef = z.object({ messageId: Id, callId: Id });

export const PermissionRequest = z.object({
  id: Id,
  permission: z.string(),
  patterns: z.array(z.string()),
  always: z.array(z.string()),
  metadata: JsonRecord,
  tool: ToolRef.optional(),
});
export type PermissionRequest = z.infer<typeof PermissionRequest>;

export const Question = RawQuestion;
export const QuestionRequest = z.object({ id: Id, questions: z.array(Question), tool: ToolRef.optional() });
export type QuestionRequest = z.infer<typeof QuestionRequest>;

export const Todo = RawTodo;
export type Todo = z.infer<typeof Todo>;

export const RetryInfo = z.object({ attempt: z.number(), message: z.string(), nextAt: Millis.optional() });
export type RetryInfo = z.infer<typeof RetryInfo>;
