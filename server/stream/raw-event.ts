import { z } from "zod";

// Zod schemas of the raw opencode events the bridge consumes (SDK v2 wire shapes). They are
// lenient on purpose: objects are loose (unknown keys kept, so Part.data/Message.data stay
// faithful), fields we rely on (ids, roles, parent links, tool status) are strict, and
// cosmetic fields fall back to "absent" instead of failing the whole event.

export const OpencodeId = z.string().min(1).max(512);
const Num = z.number().finite();
export const JsonRecord = z.record(z.string(), z.unknown());

// A cosmetic field: if it is malformed, treat it as missing rather than reject the event.
function lenient<T extends z.ZodType>(schema: T) {
  return schema.optional().catch(undefined);
}

const Span = z.looseObject({ start: Num.optional(), end: Num.optional() });

export const RawTokens = z.looseObject({
  total: lenient(Num),
  input: Num.catch(0),
  output: Num.catch(0),
  reasoning: Num.catch(0),
  cache: z.looseObject({ read: Num.catch(0), write: Num.catch(0) }).catch({ read: 0, write: 0 }),
});

export const RawError = z.looseObject({ name: z.string(), data: lenient(JsonRecord) });

export const RawSessionInfo = z.looseObject({
  id: OpencodeId,
  // The tree link: relied on, so a malformed one fails the event. null/absent = a root.
  parentID: OpencodeId.nullish(),
  title: lenient(z.string()),
  directory: lenient(z.string()),
  agent: lenient(z.string()),
  version: lenient(z.string()),
  model: lenient(z.looseObject({ id: z.string(), providerID: z.string() })),
  tokens: lenient(RawTokens),
  cost: lenient(Num),
  // Drives hiding of reverted sub-agents: relied on, so strict.
  revert: z
    .looseObject({
      messageID: OpencodeId,
      partID: OpencodeId.optional(),
      snapshot: z.string().optional(),
      diff: z.string().optional(),
    })
    .nullish(),
  time: lenient(z.looseObject({ created: lenient(Num), updated: lenient(Num), archived: lenient(Num) })),
});

export const RawMessageInfo = z.looseObject({
  id: OpencodeId,
  sessionID: OpencodeId,
  role: z.enum(["user", "assistant"]),
  // For an assistant message, the user message that started its turn.
  parentID: OpencodeId.nullish(),
  time: lenient(z.looseObject({ created: lenient(Num), completed: lenient(Num) })),
  agent: lenient(z.string()),
  providerID: lenient(z.string()),
  modelID: lenient(z.string()),
  // User messages name their model here instead.
  model: lenient(z.looseObject({ providerID: z.string(), modelID: z.string() })),
  tokens: lenient(RawTokens),
  cost: lenient(Num),
  finish: lenient(z.string()),
  error: lenient(RawError),
});

export const ToolStatus = z.enum(["pending", "running", "completed", "error"]);

const RawToolState = z.looseObject({
  status: ToolStatus,
  input: JsonRecord.catch({}),
  output: lenient(z.string()),
  error: lenient(z.string()),
  title: lenient(z.string()),
  metadata: lenient(JsonRecord),
  time: lenient(Span),
});

export const RawPart = z
  .looseObject({
    id: OpencodeId,
    sessionID: OpencodeId,
    messageID: OpencodeId,
    type: z.string().min(1).max(64),
    text: lenient(z.string()),
    time: lenient(Span),
    callID: OpencodeId.optional(),
    tool: z.string().min(1).max(256).optional(),
    state: RawToolState.optional(),
    // step-finish parts: the token breakdown of one model step.
    reason: lenient(z.string()),
    cost: lenient(Num),
    tokens: lenient(RawTokens),
  })
  .refine((p) => p.type !== "tool" || (p.callID && p.tool && p.state), {
    message: "a tool part needs callID, tool and state",
  });

const ToolRef = z.looseObject({ messageID: OpencodeId, callID: OpencodeId });

export const RawQuestion = z.looseObject({
  question: z.string(),
  header: z.string().catch(""),
  options: z.array(z.looseObject({ label: z.string(), description: z.string().catch("") })).catch([]),
  multiple: lenient(z.boolean()),
  custom: lenient(z.boolean()),
});

export const RawTodo = z.looseObject({
  content: z.string(),
  status: z.string(),
  priority: z.string().catch("medium"),
});

export const RawMessageWithParts = z.looseObject({ info: RawMessageInfo, parts: z.array(z.unknown()) });

function event<T extends string, P extends z.ZodType>(type: T, properties: P) {
  return z.looseObject({ id: lenient(z.string()), type: z.literal(type), properties });
}

const sessionScoped = { sessionID: OpencodeId };

const sessionInfoProps = z
  .looseObject({ ...sessionScoped, info: RawSessionInfo })
  .refine((p) => p.info.id === p.sessionID, { message: "info.id differs from sessionID" });

const RawSessionStatus = z.discriminatedUnion("type", [
  z.looseObject({ type: z.literal("idle") }),
  z.looseObject({ type: z.literal("busy") }),
  z.looseObject({
    type: z.literal("retry"),
    attempt: Num.catch(0),
    message: z.string().catch(""),
    next: lenient(Num),
  }),
]);

// v1 and v2 replies share one shape (v2 asks differ: action/resources/source).
const permissionReplied = z.looseObject({ ...sessionScoped, requestID: OpencodeId, reply: z.string() });

// v1 and v2 question events share one shape.
const questionAsked = z.looseObject({
  ...sessionScoped,
  id: OpencodeId,
  questions: z.array(RawQuestion),
  tool: lenient(ToolRef),
});
const questionReplied = z.looseObject({
  ...sessionScoped,
  requestID: OpencodeId,
  answers: z.array(z.array(z.string())).catch([]),
});
const questionRejected = z.looseObject({ ...sessionScoped, requestID: OpencodeId });

export const RawEvent = z.discriminatedUnion("type", [
  event("session.created", sessionInfoProps),
  event("session.updated", sessionInfoProps),
  event("session.deleted", sessionInfoProps),
  event("session.status", z.looseObject({ ...sessionScoped, status: RawSessionStatus })),
  event("session.idle", z.looseObject(sessionScoped)),
  event("session.compacted", z.looseObject(sessionScoped)),
  event("session.error", z.looseObject({ ...sessionScoped, error: lenient(RawError) })),
  event(
    "message.updated",
    z
      .looseObject({ ...sessionScoped, info: RawMessageInfo })
      .refine((p) => p.info.sessionID === p.sessionID, { message: "info.sessionID differs from sessionID" }),
  ),
  event("message.removed", z.looseObject({ ...sessionScoped, messageID: OpencodeId })),
  event(
    "message.part.updated",
    z
      .looseObject({ ...sessionScoped, part: RawPart })
      .refine((p) => p.part.sessionID === p.sessionID, { message: "part.sessionID differs from sessionID" }),
  ),
  event(
    "message.part.delta",
    z.looseObject({
      ...sessionScoped,
      messageID: OpencodeId,
      partID: OpencodeId,
      field: z.string().min(1).max(64),
      delta: z.string(),
    }),
  ),
  event("message.part.removed", z.looseObject({ ...sessionScoped, messageID: OpencodeId, partID: OpencodeId })),
  event(
    "permission.asked",
    z.looseObject({
      ...sessionScoped,
      id: OpencodeId,
      permission: z.string(),
      patterns: z.array(z.string()).catch([]),
      always: z.array(z.string()).catch([]),
      metadata: JsonRecord.catch({}),
      tool: lenient(ToolRef),
    }),
  ),
  event(
    "permission.v2.asked",
    z.looseObject({
      ...sessionScoped,
      id: OpencodeId,
      action: z.string(),
      resources: z.array(z.string()).catch([]),
      save: z.array(z.string()).catch([]).default([]),
      metadata: JsonRecord.catch({}).default({}),
      source: lenient(ToolRef),
    }),
  ),
  event("permission.replied", permissionReplied),
  event("permission.v2.replied", permissionReplied),
  event("question.asked", questionAsked),
  event("question.v2.asked", questionAsked),
  event("question.replied", questionReplied),
  event("question.v2.replied", questionReplied),
  event("question.rejected", questionRejected),
  event("question.v2.rejected", questionRejected),
  event("todo.updated", z.looseObject({ ...sessionScoped, todos: z.array(RawTodo) })),
]);

export type RawEvent = z.infer<typeof RawEvent>;
export type RawEventType = RawEvent["type"];
export type RawSessionInfo = z.infer<typeof RawSessionInfo>;
export type RawMessageInfo = z.infer<typeof RawMessageInfo>;
export type RawPart = z.infer<typeof RawPart>;
export type RawSessionStatus = z.infer<typeof RawSessionStatus>;

export const handledTypes: ReadonlySet<string> = new Set(RawEvent.options.map((o) => o.shape.type.value));
export type RawMessageWithParts = z.infer<typeof RawMessageWithParts>;
