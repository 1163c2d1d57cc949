import { z } from "zod";
import type { TurnFields } from "~/server/archive/read";
import type { PrismaClient } from "~/server/generated/prisma/client";
import { sessionStored, type SessionStoredDeps } from "~/server/bridge/session-stored";
import { rowId } from "~/server/row-id";
import { TurnIndex } from "~/server/stream/entities";

// The turns of a tree's root session as a timeline, newest first: the page a reader opens on
// is what just happened, and older turns come page by page from the server (a session of
// thousands of turns is never read whole). The cursor is a turn index: the next page holds the
// turns before it.

export const timelineInput = z.object({
  sessionId: rowId("Session"),
  // Null is the first page, as tRPC's infinite queries ask for it.
  cursor: TurnIndex.nullish(),
  limit: z.number().int().min(1).max(100).default(20),
});

/** `userMessageId`: the opencode id of the prompt that started the turn, what revert and fork name. */
export type TimelineTurn = Omit<TurnFields, "endedAt"> & {
  durationMs: number | null;
  /** Whether the runner answered it at all: a prompt queued behind a turn an abort ended never ran. */
  ran: boolean;
  toolCalls: number;
  tokens: { input: number; output: number };
  cost: number;
  subagents: { id: string; title: string; revertedAt: Date | null }[];
};

/**
 * `gone`: the tree cannot change on its runner (deleted from it, its worktree merged or removed,
 * or its runner stopped, as an import's is), so its turns are forked from the archive, not restored.
 */
export type Timeline = { sessionId: string; gone: boolean; turnCount: number; turns: TimelineTurn[]; nextCursor: number | null };

type Db = Pick<PrismaClient, "session" | "turn" | "message" | "toolSpan" | "sessionRelation">;

/** `loadTimeline` once the store holds what viewers were shown (a live page reads it again as turns end). */
export async function timelineAsShown(deps: SessionStoredDeps & { db: Db }, input: z.input<typeof timelineInput>): Promise<Timeline | null> {
  await sessionStored(deps, timelineInput.parse(input).sessionId);
  return loadTimeline(deps.db, input);
}

/** A page of the timeline of the tree `sessionId` belongs to; null when there is no such session. */
export async function loadTimeline(db: Db, input: z.input<typeof timelineInput>): Promise<Timeline | null> {
  const { sessionId, cursor, limit } = timelineInput.parse(input);
  const standing = { deletedAt: true, mount: { select: { state: true } }, runner: { select: { status: true } } } as const;
  const row = await db.session.findUnique({ where: { id: sessionId }, select: { rootId: true, purgedAt: true, ...standing } });
  if (!row || row.purgedAt) return null;
  const rootId = row.rootId ?? sessionId;
  const root = row.rootId ? await db.session.findUnique({ where: { id: row.rootId }, select: standing }) : row;
  // Counted first, then read: read together (two connections on PostgreSQL), a turn stored in
  // between could be counted and missing from the page.
  const turnCount = await db.turn.count({ where: { sessionId: rootId } });
  const turns = await db.turn.findMany({
    where: { sessionId: rootId, index: cursor ? { lt: cursor } : undefined },
    orderBy: { index: "desc" },
    take: limit + 1,
  });
  const page = turns.slice(0, limit);
  const ids = page.map((t) => t.id);
  const [usage, calls, spawned] = await Promise.all([
    db.message.groupBy({ by: ["turnId"], where: { turnId: { in: ids }, role: "assistant" }, _sum: { tokensInput: true, tokensOutput: true, cost: true } }),
    db.toolSpan.groupBy({ by: ["turnId"], where: { turnId: { in: ids } }, _count: { _all: true } }),
    db.sessionRelation.findMany({
      where: { kind: "subagent", turnId: { in: ids } },
      select: { turnId: true, child: { select: { id: true, title: true, revertedAt: true } } },
      orderBy: { createdAt: "asc" },
    }),
  ]);
  const usageOf = new Map(usage.map((u) => [u.turnId, u._sum]));
  const callsOf = new Map(calls.map((c) => [c.turnId, c._count._all]));
  return {
    sessionId: rootId,
    gone: Boolean(root?.deletedAt) || (root?.mount != null && root.mount.state !== "active") || root?.runner.status === "stopped",
    turnCount,
    nextCursor: turns.length > limit ? page.at(-1)!.index : null,
    turns: page.map((t) => ({
      id: t.id,
      index: t.index,
      userMessageId: t.userMessageId,
      status: t.status,
      error: t.error,
      revertedAt: t.revertedAt,
      startedAt: t.startedAt,
      durationMs: t.endedAt ? t.endedAt.getTime() - t.startedAt.getTime() : null,
      ran: usageOf.has(t.id),
      toolCalls: callsOf.get(t.id) ?? 0,
      tokens: { input: usageOf.get(t.id)?.tokensInput ?? 0, output: usageOf.get(t.id)?.tokensOutput ?? 0 },
      cost: usageOf.get(t.id)?.cost ?? 0,
      subagents: spawned.filter((s) => s.turnId === t.id).map((s) => s.child),
    })),
  };
}
