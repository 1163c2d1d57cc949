import type { ErrorInfo, MessageInfo, PartInfo, RetryInfo, SessionInfo, SessionStatus, Tokens, ToolCall } from "./entities";
import { OpencodeId } from "./raw-event";
import type { RawMessageInfo, RawPart, RawSessionInfo, RawSessionStatus } from "./raw-event";

// Maps validated raw opencode objects to the normalized entities (pure functions).

type RawTokens = RawSessionInfo["tokens"];

export function toTokens(raw: NonNullable<RawTokens>): Tokens {
  return {
    input: raw.input,
    output: raw.output,
    reasoning: raw.reasoning,
    cacheRead: raw.cache.read,
    cacheWrite: raw.cache.write,
  };
}

const NO_TOKENS: Tokens = { input: 0, output: 0, reasoning: 0, cacheRead: 0, cacheWrite: 0 };

export function toError(raw: { name: string; data?: Record<string, unknown> }): ErrorInfo {
  const message = raw.data?.message;
  return { name: raw.name, message: typeof message === "string" ? message : undefined, data: raw.data };
}

export function toSessionInfo(info: RawSessionInfo): SessionInfo {
  return {
    id: info.id,
    parentId: info.parentID ?? null,
    title: info.title ?? "",
    directory: info.directory ?? "",
    agent: info.agent,
    providerId: info.model?.providerID,
    modelId: info.model?.id,
    version: info.version,
    tokens: info.tokens ? toTokens(info.tokens) : NO_TOKENS,
    cost: info.cost ?? 0,
    revert: info.revert
      ? {
          messageId: info.revert.messageID,
          partId: info.revert.partID,
          snapshot: info.revert.snapshot,
          diff: info.revert.diff,
        }
      : null,
    createdAt: info.time?.created,
    updatedAt: info.time?.updated,
    archivedAt: info.time?.archived,
  };
}

export function toMessageInfo(info: RawMessageInfo): MessageInfo {
  return {
    id: info.id,
    role: info.role,
    parentId: info.parentID ?? undefined,
    agent: info.agent,
    providerId: info.providerID ?? info.model?.providerID,
    modelId: info.modelID ?? info.model?.modelID,
    tokens: info.tokens ? toTokens(info.tokens) : undefined,
    cost: info.cost,
    finish: info.finish,
    error: info.error ? toError(info.error) : undefined,
    createdAt: info.time?.created,
    completedAt: info.time?.completed,
    data: info,
  };
}

/**
 * The sub-agent session a `task` tool part spawned (opencode reports it in state.metadata,
 * with the session that spawned it). A fork copies its source's parts as they are: there the
 * spawner is the source session, and the child belongs to the source's tree, not this one.
 */
export function childSessionOf(part: RawPart): string | undefined {
  const spawned = spawnedBy(part);
  return spawned && spawned.parent === part.sessionID ? spawned.child : undefined;
}

/** A forked session's copy of a `task` call: the sub-agent its source's call spawned. */
export function sourceChildSessionOf(part: RawPart): string | undefined {
  const spawned = spawnedBy(part);
  return spawned && spawned.parent !== part.sessionID ? spawned.child : undefined;
}

function spawnedBy(part: RawPart): { child: string; parent: string } | undefined {
  if (part.type !== "tool" || part.tool !== "task") return undefined;
  const child = OpencodeId.safeParse(part.state?.metadata?.sessionId);
  if (!child.success) return undefined;
  // Older runners leave the spawner out: the part's own session is the only one known.
  const parent = OpencodeId.safeParse(part.state?.metadata?.parentSessionId);
  return { child: child.data, parent: parent.success ? parent.data : part.sessionID };
}

function toToolCall(part: RawPart): ToolCall | undefined {
  const { state, callID, tool } = part;
  if (part.type !== "tool" || !state || !callID || !tool) return undefined;
  return {
    callId: callID,
    name: tool,
    status: state.status,
    input: state.input,
    output: state.output,
    error: state.error,
    title: state.title,
    metadata: state.metadata,
    startedAt: state.time?.start,
    endedAt: state.time?.end,
    childSessionId: childSessionOf(part),
    sourceChildSessionId: sourceChildSessionOf(part),
  };
}

export function toPartInfo(part: RawPart): PartInfo {
  return {
    id: part.id,
    messageId: part.messageID,
    type: part.type,
    text: part.text,
    startedAt: part.time?.start,
    endedAt: part.time?.end,
    tool: toToolCall(part),
    step:
      part.type === "step-finish"
        ? { reason: part.reason, cost: part.cost ?? 0, tokens: part.tokens ? toTokens(part.tokens) : NO_TOKENS }
        : undefined,
    data: part,
  };
}

export function toStatus(raw: RawSessionStatus): { status: SessionStatus; retry?: RetryInfo } {
  switch (raw.type) {
    case "idle":
      return { status: "idle" };
    case "busy":
      return { status: "running" };
    case "retry":
      // Still working (the runner retries on its own); the retry detail makes it visible.
      return { status: "running", retry: { attempt: raw.attempt, message: raw.message, nextAt: raw.next } };
  }
}
