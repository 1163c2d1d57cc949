import path from "node:path";
import type { PrismaClient, SessionStatus } from "~/server/generated/prisma/client";
import { CommandError } from "~/server/sessions/command-error";

/** A sub-agent session a revert reaches; depth 1 is spawned by the reverted session itself. */
export type AffectedSession = {
  id: string;
  opencodeId: string;
  title: string;
  depth: number;
  status: SessionStatus;
  directory: string;
  revertedAt: Date | null;
};

/** What a revert of `sessionId` to `messageId` removes: the preview a user confirms. */
export type RevertPlan = {
  turns: { id: string; index: number; startedAt: Date }[];
  sessions: { id: string; title: string; depth: number; status: SessionStatus }[];
  files: string[];
};

/** The message's turn and every later turn of the session. */
export async function turnsFrom(db: PrismaClient, sessionId: string, messageId: string) {
  const message = await db.message.findUnique({
    where: { sessionId_opencodeId: { sessionId, opencodeId: messageId } },
    select: { turn: { select: { index: true } } },
  });
  if (!message) throw new CommandError("NOT_FOUND", `No message ${messageId} in this session.`);
  return db.turn.findMany({
    where: { sessionId, index: { gte: message.turn.index } },
    orderBy: { index: "asc" },
    select: { id: true, index: true, startedAt: true },
  });
}

/** Every sub-agent the turns spawned and all of their descendants, parents before children. */
export async function spawnedBy(db: PrismaClient, turnIds: string[]): Promise<AffectedSession[]> {
  const found: AffectedSession[] = [];
  const seen = new Set<string>();
  let relations = await db.sessionRelation.findMany({ where: { kind: "subagent", turnId: { in: turnIds } }, select: { childId: true } });
  for (let depth = 1; relations.length > 0; depth++) {
    const ids = relations.map((r) => r.childId).filter((id) => !seen.has(id));
    ids.forEach((id) => seen.add(id));
    const sessions = await db.session.findMany({
      where: { id: { in: ids } },
      orderBy: { createdAt: "asc" },
      select: { id: true, opencodeId: true, title: true, status: true, directory: true, revertedAt: true },
    });
    found.push(...sessions.map((s) => ({ ...s, depth })));
    relations = await db.sessionRelation.findMany({ where: { kind: "subagent", parentId: { in: ids } }, select: { childId: true } });
  }
  return found;
}

/**
 * The files opencode recorded as changed (`patch` parts) in the reverted turns and in every
 * affected sub-agent, relative to the session's directory when inside it.
 */
async function changedFiles(db: PrismaClient, session: { id: string; directory: string }, turnIds: string[], subagentIds: string[]) {
  const patches = await db.part.findMany({
    where: { type: "patch", OR: [{ sessionId: session.id, turnId: { in: turnIds } }, { sessionId: { in: subagentIds } }] },
    select: { data: true },
  });
  const files = new Set<string>();
  for (const { data } of patches) {
    for (const file of (data as { files?: unknown }).files as unknown[] ?? []) {
      if (typeof file !== "string") continue;
      const relative = path.relative(session.directory, file);
      files.add(relative.startsWith("..") || path.isAbsolute(relative) ? file : relative);
    }
  }
  return [...files].sort();
}

/** Reads only: what `revertTree` would touch. */
export async function revertPlan(db: PrismaClient, input: { sessionId: string; messageId: string }): Promise<RevertPlan> {
  const session = await db.session.findUnique({ where: { id: input.sessionId }, select: { id: true, directory: true, purgedAt: true } });
  if (!session || session.purgedAt) throw new CommandError("NOT_FOUND", `No session ${input.sessionId}.`);
  const turns = await turnsFrom(db, session.id, input.messageId);
  const turnIds = turns.map((t) => t.id);
  const subagents = await spawnedBy(db, turnIds);
  return {
    turns,
    sessions: subagents.map(({ id, title, depth, status }) => ({ id, title, depth, status })),
    files: await changedFiles(db, session, turnIds, subagents.map((s) => s.id)),
  };
}
