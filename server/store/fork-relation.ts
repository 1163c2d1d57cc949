import type { PrismaClient } from "~/server/generated/prisma/client";

/**
 * Records that `forkId` was forked from `sourceId`, at the last message of the source the fork
 * holds and that message's turn: opencode forks the messages before `beforeMessageId` (all of
 * them without one). A fork of nothing records neither. opencode keeps no lineage; this is it.
 * The fork takes its source's agent and model until its own session info names them.
 */
export async function recordFork(db: PrismaClient, sourceId: string, forkId: string, beforeMessageId?: string): Promise<void> {
  // Opencode ids sort chronologically.
  const last = await db.message.findFirst({
    where: { sessionId: sourceId, ...(beforeMessageId ? { opencodeId: { lt: beforeMessageId } } : {}) },
    orderBy: { opencodeId: "desc" },
    select: { opencodeId: true, turnId: true },
  });
  const at = { turnId: last?.turnId ?? null, messageId: last?.opencodeId ?? null };
  await db.sessionRelation.upsert({
    where: { parentId_childId_kind: { parentId: sourceId, childId: forkId, kind: "fork" } },
    create: { parentId: sourceId, childId: forkId, kind: "fork", ...at },
    update: at,
  });
  // opencode's copy names no agent or model until it runs: it continues with the source's.
  const source = await db.session.findUnique({ where: { id: sourceId }, select: { agent: true, providerId: true, modelId: true } });
  if (source?.modelId) await db.session.updateMany({ where: { id: forkId, modelId: null }, data: source });
}
