import type { PrismaClient } from "~/server/generated/prisma/client";
import { sessionStored, type SessionStoredDeps } from "~/server/bridge/session-stored";

// A session's family: its tree (root and sub-agents at any depth, by rootId) and every fork
// made from any member, with the fork's own tree, forks of forks included. Whichever member is
// asked about, the answer is the same family, walked down from the session everything was
// forked from, so a lineage view reads the same on every page of it.

export type FamilyMember = {
  id: string;
  opencodeId: string;
  title: string;
  /** The session it hangs under: a sub-agent's parent, a fork's source; null for the origin. */
  parentId: string | null;
  relation: "subagent" | "fork" | null;
  /** A sub-agent's spawning turn, or the source turn a fork was made at (index in its parent). */
  turnIndex: number | null;
  toolCallId: string | null;
  revertedAt: Date | null;
  deletedAt: Date | null;
  status: string;
  agent: string | null;
  providerId: string | null;
  modelId: string | null;
  createdAt: Date;
  /** First turn's start to the last turn's end (or last activity while one runs). */
  durationMs: number;
  tokens: { input: number; output: number; reasoning: number; cacheRead: number; cacheWrite: number };
  cost: number;
};

type Db = Pick<PrismaClient, "session" | "sessionRelation" | "turn">;

/** `loadFamily` once the store holds what viewers were shown: a live page reads it again as its stream shows sessions appear and turns end. */
export async function familyAsShown(deps: SessionStoredDeps & { db: Db }, sessionId: string): Promise<FamilyMember[] | null> {
  await sessionStored(deps, sessionId);
  return loadFamily(deps.db, sessionId);
}

/** Every member of the family of `sessionId`, origin first; null when there is no such session. */
export async function loadFamily(db: Db, sessionId: string): Promise<FamilyMember[] | null> {
  const origin = await originRoot(db, sessionId);
  if (!origin) return null;
  const roots = new Set([origin]);
  const sessions = new Map<string, Awaited<ReturnType<typeof sessionRows>>[number]>();
  for (let frontier = [origin]; frontier.length > 0; ) {
    const rows = await sessionRows(db, frontier);
    for (const row of rows) sessions.set(row.id, row);
    const forks = await db.sessionRelation.findMany({
      where: { kind: "fork", parentId: { in: rows.map((r) => r.id) } },
      select: { child: { select: { id: true, rootId: true } } },
    });
    frontier = forks.map((f) => f.child.rootId ?? f.child.id).filter((root) => !roots.has(root));
    for (const root of frontier) roots.add(root);
  }
  const ids = [...sessions.keys()];
  const [relations, spans] = await Promise.all([
    db.sessionRelation.findMany({
      where: { childId: { in: ids }, parentId: { in: ids } },
      select: { parentId: true, childId: true, kind: true, toolCallId: true, turn: { select: { index: true } } },
    }),
    db.turn.groupBy({ by: ["sessionId"], where: { sessionId: { in: ids } }, _min: { startedAt: true }, _max: { endedAt: true } }),
  ]);
  // A sub-agent link names the parent in the tree; a fork link only where the child has none.
  const linkOf = new Map<string, (typeof relations)[number]>();
  for (const r of relations) if (r.kind === "subagent" || !linkOf.has(r.childId)) linkOf.set(r.childId, r);
  const spanOf = new Map(spans.map((s) => [s.sessionId, s]));

  return [...sessions.values()].map((s) => {
    const link = s.id === origin ? undefined : linkOf.get(s.id);
    const span = spanOf.get(s.id);
    const start = span?._min.startedAt ?? s.createdAt;
    const end = s.status === "running" || s.status === "waiting" ? s.lastActivityAt : (span?._max.endedAt ?? s.lastActivityAt);
    return {
      id: s.id,
      opencodeId: s.opencodeId,
      title: s.title,
      parentId: link?.parentId ?? null,
      relation: link?.kind ?? null,
      turnIndex: link?.turn?.index ?? null,
      toolCallId: link?.toolCallId ?? null,
      revertedAt: s.revertedAt,
      deletedAt: s.deletedAt,
      status: s.status,
      agent: s.agent,
      providerId: s.providerId,
      modelId: s.modelId,
      createdAt: s.createdAt,
      durationMs: Math.max(0, end.getTime() - start.getTime()),
      tokens: { input: s.tokensInput, output: s.tokensOutput, reasoning: s.tokensReasoning, cacheRead: s.tokensCacheRead, cacheWrite: s.tokensCacheWrite },
      cost: s.cost,
    };
  });
}

/** The root of the tree everything in the family was forked from (a purged source ends the walk). */
async function originRoot(db: Db, sessionId: string): Promise<string | null> {
  const start = await db.session.findUnique({ where: { id: sessionId }, select: { id: true, rootId: true, purgedAt: true } });
  if (!start || start.purgedAt) return null;
  let root = start.rootId ?? start.id;
  for (const seen = new Set([root]); ; ) {
    const source = await db.sessionRelation.findFirst({
      where: { childId: root, kind: "fork" },
      select: { parent: { select: { id: true, rootId: true, purgedAt: true } } },
    });
    const next = source && !source.parent.purgedAt ? (source.parent.rootId ?? source.parent.id) : undefined;
    if (!next || seen.has(next)) return root;
    seen.add(next);
    root = next;
  }
}

function sessionRows(db: Db, rootIds: string[]) {
  return db.session.findMany({
    where: { OR: [{ rootId: { in: rootIds } }, { id: { in: rootIds } }], purgedAt: null },
    orderBy: { createdAt: "asc" },
  });
}
