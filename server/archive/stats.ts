import type { Tokens } from "~/server/stream/entities";
import { NO_USAGE } from "~/server/stream/session-boundary";
import type { ArchivedSession, ArchivedTree } from "./read";

export type TreeStats = {
  /** From the first prompt to the last completed message anywhere in the tree. */
  durationMs: number;
  startedAt: Date | null;
  endedAt: Date | null;
  /** Prompts of the root session. */
  turns: number;
  /** Turns of every sub-agent. */
  subAgentTurns: number;
  messages: number;
  toolCalls: number;
  failedToolCalls: number;
  /** Summed over every assistant message of the tree. */
  tokens: Tokens;
  cost: number;
  subAgents: number;
  lastArchivedAt: Date | null;
};

/** Totals of a whole tree (root and every sub-agent, reverted ones left out), for the archived banner and exports. */
export function treeStats(tree: ArchivedTree): TreeStats {
  const tokens: Tokens = { ...NO_USAGE.tokens };
  let cost = 0;
  let messages = 0;
  let toolCalls = 0;
  let failedToolCalls = 0;
  let subAgentTurns = 0;
  let first: number | undefined;
  let last: number | undefined;
  const seen = (at: Date | null | undefined) => {
    if (!at) return;
    const t = at.getTime();
    first = first === undefined ? t : Math.min(first, t);
    last = last === undefined ? t : Math.max(last, t);
  };
  // What a revert undid is not part of the tree's run (the archive still shows it, marked).
  const sessions = Object.values(tree.sessions).filter((s) => !s.revertedAt);
  for (const session of sessions) {
    const turns = session.turns.filter((t) => !t.revertedAt);
    if (session.id !== tree.root.id) subAgentTurns += turns.length;
    for (const turn of turns) {
      seen(turn.startedAt);
      for (const message of turn.messages) {
        messages++;
        seen(message.createdAt);
        seen(message.completedAt);
        if (message.role === "assistant") {
          for (const key of Object.keys(tokens) as (keyof Tokens)[]) tokens[key] += message.usage[key];
          cost += message.cost;
        }
        for (const part of message.parts) {
          if (!part.tool) continue;
          toolCalls++;
          if (part.tool.status === "error") failedToolCalls++;
          seen(part.tool.endedAt);
        }
      }
    }
  }
  return {
    durationMs: first === undefined || last === undefined ? 0 : last - first,
    startedAt: first === undefined ? null : new Date(first),
    endedAt: last === undefined ? null : new Date(last),
    turns: tree.root.turns.filter((t) => !t.revertedAt).length,
    subAgentTurns,
    messages,
    toolCalls,
    failedToolCalls,
    tokens,
    cost: Math.round(cost * 1e6) / 1e6,
    subAgents: sessions.length - 1,
    lastArchivedAt: tree.root.lastArchivedAt,
  };
}

/** Tokens in and out of every message of the session (a sub-agent's header). */
export const sessionTokens = (session: ArchivedSession): number =>
  session.turns.flatMap((t) => t.messages).reduce((sum, m) => sum + m.usage.input + m.usage.output, 0);

/** Sub-agents (row ids) that some tool call of the tree points at. */
export const calledSubAgents = (tree: ArchivedTree): Set<string> =>
  new Set(Object.values(tree.sessions).flatMap((s) => s.turns.flatMap((t) => t.messages.flatMap((m) => m.parts.flatMap((p) => p.tool?.childSessionId ?? [])))));

/** `T`: what a time becomes (a string, or a node that shows it in the reader's zone). */
export type StatFormat<T = string> = {
  duration(ms: number): string;
  tokens(n: number): string;
  cost(usd: number): string;
  time(at: Date): T;
};

/** The archived banner's figures, labelled, in order: one list for the page and the HTML export. */
export function statEntries<T = string>(stats: TreeStats, format: StatFormat<T>): [label: string, value: string | T][] {
  return [
    ["Duration", format.duration(stats.durationMs)],
    ["Turns", String(stats.turns)],
    ["Messages", String(stats.messages)],
    ["Tool calls", String(stats.toolCalls)],
    ["Tokens in", format.tokens(stats.tokens.input)],
    ["Tokens out", format.tokens(stats.tokens.output)],
    ["Reasoning", format.tokens(stats.tokens.reasoning)],
    ["Cache read", format.tokens(stats.tokens.cacheRead)],
    ["Cache write", format.tokens(stats.tokens.cacheWrite)],
    ["Cost", format.cost(stats.cost)],
    ["Sub-agents", String(stats.subAgents)],
    ["Last synced to the archive", stats.lastArchivedAt ? format.time(stats.lastArchivedAt) : "never"],
  ];
}
