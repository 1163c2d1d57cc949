import type { MessageEntry, SessionView, SnapshotState, TokenCounts } from "./types";

// Questions about a whole session tree (a session and its sub-agents at any depth). Pure.

/** The session and every descendant, parents before children. */
export function subtreeIds(state: SnapshotState, sessionId: string): string[] {
  const children = new Map<string, string[]>();
  for (const view of Object.values(state.sessions)) {
    const parent = view.session?.parentId;
    if (!parent) continue;
    const list = children.get(parent);
    if (list) list.push(view.sessionId);
    else children.set(parent, [view.sessionId]);
  }
  const out: string[] = [];
  const queue = [sessionId];
  const seen = new Set<string>();
  while (queue.length) {
    const id = queue.shift()!;
    if (seen.has(id)) continue;
    seen.add(id);
    if (state.sessions[id]) out.push(id);
    queue.push(...(children.get(id) ?? []).sort());
  }
  return out;
}

export type Usage = TokenCounts & { cost: number };

const ZERO: Usage = { input: 0, output: 0, reasoning: 0, cacheRead: 0, cacheWrite: 0, cost: 0 };

function add(sum: Usage, message: MessageEntry): void {
  if (message.role !== "assistant") return;
  const t = message.tokens;
  if (t) {
    sum.input += t.input;
    sum.output += t.output;
    sum.reasoning += t.reasoning;
    sum.cacheRead += t.cacheRead;
    sum.cacheWrite += t.cacheWrite;
  }
  sum.cost += message.cost ?? 0;
}

/** Tokens and cost summed over the assistant messages of the session and its sub-agents. */
export function treeUsage(state: SnapshotState, sessionId: string): Usage {
  const sum = { ...ZERO };
  for (const id of subtreeIds(state, sessionId)) {
    for (const message of Object.values(state.sessions[id]!.messages)) add(sum, message);
  }
  return sum;
}

/** What the latest model call of the session sent and got: its context window in use. */
export function contextInUse(view: SessionView): { tokens: number; providerId?: string; modelId?: string } | undefined {
  const last = Object.values(view.messages)
    .filter((m) => m.role === "assistant" && m.tokens && m.tokens.input + m.tokens.output > 0)
    .sort((a, b) => (a.id < b.id ? 1 : -1))[0];
  if (!last?.tokens) return undefined;
  const t = last.tokens;
  return {
    tokens: t.input + t.output + t.reasoning + t.cacheRead + t.cacheWrite,
    providerId: last.providerId,
    modelId: last.modelId,
  };
}

/** The agent and model the session runs with, as its latest message says (a prompt names the ones it asked for). */
export function agentAndModel(view: SessionView): { agent?: string; model?: string } {
  // The latest prompt's choice counts before any answer to it (it may fail before one: a model
  // the runner lacks), as the session's own row says.
  const last = Object.values(view.messages)
    .filter((m) => m.modelId !== undefined)
    .sort((a, b) => (a.id < b.id ? 1 : -1))[0];
  const agent = last?.agent ?? view.session?.agent;
  const modelId = last?.modelId ?? view.session?.modelId;
  const providerId = last?.providerId ?? view.session?.providerId;
  return { agent, model: modelId ? (providerId ? `${providerId}/${modelId}` : modelId) : undefined };
}
