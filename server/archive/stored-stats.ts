import type { Tx } from "~/server/db";
import type { TreeStats } from "./stats";

// `treeStats` (stats.ts) of a tree the reader does not load whole (a page of a long session):
// the same totals, summed by the database. Same rules: what a revert undid is left out.

type Outline = {
  sessions: { id: string; revertedAt: Date | null; lastArchivedAt: Date | null }[];
  turns: { sessionId: string; revertedAt: Date | null; startedAt: Date }[];
};

export async function storedTreeStats(tx: Tx, rootId: string, outline: Outline): Promise<TreeStats> {
  const sessionIds = outline.sessions.filter((s) => !s.revertedAt).map((s) => s.id);
  const kept = { sessionId: { in: sessionIds }, turn: { revertedAt: null } };
  const [messages, answers, spans, failed] = await Promise.all([
    tx.message.aggregate({ where: kept, _count: { _all: true }, _min: { createdAt: true }, _max: { createdAt: true, completedAt: true } }),
    tx.message.aggregate({
      where: { ...kept, role: "assistant" },
      _sum: { tokensInput: true, tokensOutput: true, tokensReasoning: true, tokensCacheRead: true, tokensCacheWrite: true, cost: true },
    }),
    tx.toolSpan.aggregate({ where: kept, _count: { _all: true }, _max: { endedAt: true } }),
    tx.toolSpan.count({ where: { ...kept, status: "error" } }),
  ]);
  const turns = outline.turns.filter((t) => !t.revertedAt && sessionIds.includes(t.sessionId));
  const times = [...turns.map((t) => t.startedAt), messages._min.createdAt, messages._max.createdAt, messages._max.completedAt, spans._max.endedAt]
    .filter((at): at is Date => at !== null)
    .map((at) => at.getTime());
  const first = times.length ? Math.min(...times) : undefined;
  const last = times.length ? Math.max(...times) : undefined;
  const sum = answers._sum;
  return {
    durationMs: first === undefined || last === undefined ? 0 : last - first,
    startedAt: first === undefined ? null : new Date(first),
    endedAt: last === undefined ? null : new Date(last),
    turns: turns.filter((t) => t.sessionId === rootId).length,
    subAgentTurns: turns.filter((t) => t.sessionId !== rootId).length,
    messages: messages._count._all,
    toolCalls: spans._count._all,
    failedToolCalls: failed,
    tokens: {
      input: sum.tokensInput ?? 0,
      output: sum.tokensOutput ?? 0,
      reasoning: sum.tokensReasoning ?? 0,
      cacheRead: sum.tokensCacheRead ?? 0,
      cacheWrite: sum.tokensCacheWrite ?? 0,
    },
    cost: Math.round((sum.cost ?? 0) * 1e6) / 1e6,
    subAgents: sessionIds.length - 1,
    lastArchivedAt: outline.sessions.find((s) => s.id === rootId)?.lastArchivedAt ?? null,
  };
}
