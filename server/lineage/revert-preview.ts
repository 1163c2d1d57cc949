import type { PrismaClient } from "~/server/generated/prisma/client";

// What reverting a session to a message would touch, read from the archive: the turns from the
// message's turn on, the sub-agent sessions they spawned (with their descendants), and the
// files their patch parts changed. A placeholder for the revert cascade's own preview (branch
// lineage-revert), in the shape the restore-to-here confirmation expects.

export type RevertPreview = {
  turns: { id: string; index: number; startedAt: Date }[];
  sessions: { id: string; title: string; depth: number; status: string }[];
  files: string[];
};

type Db = Pick<PrismaClient, "turn" | "sessionRelation" | "session" | "part">;

/** Null when the session has no turn started by that message. */
export async function previewRevert(db: Db, input: { sessionId: string; messageId: string }): Promise<RevertPreview | null> {
  const from = await db.turn.findUnique({
    where: { sessionId_userMessageId: { sessionId: input.sessionId, userMessageId: input.messageId } },
    select: { index: true },
  });
  if (!from) return null;
  const turns = await db.turn.findMany({
    where: { sessionId: input.sessionId, index: { gte: from.index } },
    orderBy: { index: "asc" },
    select: { id: true, index: true, startedAt: true },
  });
  const sessions: RevertPreview["sessions"] = [];
  let links = await db.sessionRelation.findMany({ where: { kind: "subagent", turnId: { in: turns.map((t) => t.id) } }, select: { childId: true } });
  for (let depth = 1; links.length > 0; depth++) {
    const children = await db.session.findMany({
      where: { id: { in: links.map((l) => l.childId) }, revertedAt: null },
      select: { id: true, title: true, status: true },
    });
    sessions.push(...children.map((c) => ({ ...c, depth })));
    links = await db.sessionRelation.findMany({ where: { kind: "subagent", parentId: { in: children.map((c) => c.id) } }, select: { childId: true } });
  }
  const patches = await db.part.findMany({
    where: { type: "patch", OR: [{ turnId: { in: turns.map((t) => t.id) } }, { sessionId: { in: sessions.map((s) => s.id) } }] },
    select: { data: true },
  });
  const files = new Set(patches.flatMap((p) => filesOf(p.data)));
  return { turns, sessions, files: [...files].sort() };
}

function filesOf(data: unknown): string[] {
  const files = (data as { files?: unknown } | null)?.files;
  return Array.isArray(files) ? files.filter((f): f is string => typeof f === "string") : [];
}
