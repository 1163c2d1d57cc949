import type { PrismaClient } from "~/server/generated/prisma/client";
import { ArchiveError } from "./errors";
import { archiveStatus, assembleTree, assembleTurns, readTreeOutline, type ArchivedMessage, type ArchivedPart, type ArchivedTree, type ArchivedTurn } from "./read";
import { storedTreeStats } from "./stored-stats";
import { calledSubAgents, sessionTokens, treeStats, type TreeStats } from "./stats";

// What an export (the JSON and HTML files) is written from, so that it never holds a long tree
// whole: the tree's outline (sessions and turns, no messages), the totals and per-session
// figures the file's headers show, and the turns' messages and parts, read a window of turns at
// a time as the file is written. A window is consecutive turns of up to WINDOW_PARTS parts (a
// longer turn is a window of its own): what a file holds at once is bounded by its largest
// turn, not by the tree.

/** Parts read at once, at most (unless one turn has more). */
export const WINDOW_PARTS = 500;

export type ExportOutline = {
  /** Sessions and turns; every turn's `messages` is empty (`turns` reads them). */
  tree: ArchivedTree;
  stats: TreeStats;
  /** Tokens in and out per session (row id). */
  usage: Record<string, number>;
  /** Sub-agents (row ids) some archived tool call of the tree points at. */
  linked: string[];
  /** Parts per turn (row id), to cut windows by. */
  turnParts: Record<string, number>;
};

export type ExportSource = ExportOutline & {
  /** The turns (row ids of this tree) with their messages and whole parts, in the order asked; those in `bare` without their parts. */
  turns: (turnIds: string[], bare?: string[]) => Promise<ArchivedTurn[]>;
};

/** Consecutive turns, cut where a window would pass `budget` parts (a turn counts one at least; a window has one turn at least). */
export function windowsOf(turnIds: string[], turnParts: Record<string, number>, budget = WINDOW_PARTS): string[][] {
  const windows: string[][] = [];
  let parts = 0;
  for (const id of turnIds) {
    const count = Math.max(turnParts[id] ?? 0, 1);
    if (windows.length === 0 || parts + count > budget) windows.push([]), (parts = 0);
    windows.at(-1)!.push(id);
    parts += count;
  }
  return windows;
}

/** The outline of the tree `rawId` belongs to, read from the archive. Throws ArchiveError as loadArchivedTree does. */
export async function loadExportOutline(db: PrismaClient, rawId: string): Promise<ExportOutline> {
  const status = await archiveStatus(db, rawId);
  if (status.root.archiveState === "syncing") {
    throw new ArchiveError("syncing", "The archive of this session is being synced right now; try again in a few seconds.", 2);
  }
  return db.$transaction(
    async (tx) => {
      const outline = await readTreeOutline(tx, status);
      const ids = outline.sessions.map((s) => s.id);
      const [stats, usage, spawned, parts] = await Promise.all([
        storedTreeStats(tx, status.rootId, outline),
        tx.message.groupBy({ by: ["sessionId"], where: { sessionId: { in: ids } }, _sum: { tokensInput: true, tokensOutput: true } }),
        tx.toolSpan.findMany({ where: { sessionId: { in: ids }, childSessionId: { in: ids } }, select: { childSessionId: true }, distinct: ["childSessionId"] }),
        tx.part.groupBy({ by: ["turnId"], where: { sessionId: { in: ids } }, _count: { _all: true } }),
      ]);
      return {
        tree: assembleTree(status.id, status.rootId, { ...outline, messages: [], parts: [], spans: [] }),
        stats,
        usage: Object.fromEntries(usage.map((u) => [u.sessionId, (u._sum.tokensInput ?? 0) + (u._sum.tokensOutput ?? 0)])),
        linked: spawned.map((s) => s.childSessionId!),
        turnParts: Object.fromEntries(parts.map((p) => [p.turnId, p._count._all])),
      };
    },
    { isolationLevel: "RepeatableRead", timeout: 60_000, maxWait: 60_000 },
  );
}

/** Turns of the tree `rawId` belongs to, whole, in the order asked; ids of other trees are left out. */
export async function readExportTurns(db: PrismaClient, rawId: string, turnIds: string[], bare: string[] = []): Promise<ArchivedTurn[]> {
  const { rootId } = await archiveStatus(db, rawId);
  const sessions = await db.session.findMany({ where: { OR: [{ id: rootId }, { rootId }] }, select: { id: true } });
  const inTree = new Set(sessions.map((s) => s.id));
  const turns = (await db.turn.findMany({ where: { id: { in: turnIds } } })).filter((t) => inTree.has(t.sessionId));
  const ids = turns.map((t) => t.id);
  const whole = ids.filter((id) => !bare.includes(id));
  const [messages, parts, spans] = await Promise.all([
    db.message.findMany({
      where: { turnId: { in: ids } },
      omit: { data: true, syncFingerprint: true, syncVerifiedAt: true, priceVersion: true, costSource: true },
      orderBy: [{ createdAt: "asc" }, { opencodeId: "asc" }],
    }),
    db.part.findMany({ where: { turnId: { in: whole } }, orderBy: { opencodeId: "asc" } }),
    db.toolSpan.findMany({ where: { turnId: { in: whole } } }),
  ]);
  const byId = new Map(assembleTurns({ turns, messages, parts, spans }, inTree).map(({ sessionId: _, ...turn }) => [turn.id, turn]));
  return turnIds.flatMap((id) => byId.get(id) ?? []);
}

/**
 * A tree in memory as an export's source: read whole, or of stand-ins (stand-ins.ts) whose
 * whole parts `parts` reads by row id as each window is written (a share link's files).
 */
export function treeSource(tree: ArchivedTree, parts?: (partIds: string[]) => Promise<ArchivedPart[]>): ExportSource {
  const sessions = Object.values(tree.sessions);
  const turns = new Map(sessions.flatMap((s) => s.turns.map((t) => [t.id, t] as const)));
  const partsOf = (turn: ArchivedTurn) => turn.messages.flatMap((m) => m.parts);
  const outline = Object.fromEntries(sessions.map((s) => [s.id, { ...s, turns: s.turns.map((t) => ({ ...t, messages: [] })) }]));
  return {
    tree: { ...tree, sessions: outline, root: outline[tree.root.id]! },
    stats: treeStats(tree),
    usage: Object.fromEntries(sessions.map((s) => [s.id, sessionTokens(s)])),
    linked: [...calledSubAgents(tree)],
    turnParts: Object.fromEntries([...turns].map(([id, t]) => [id, partsOf(t).length])),
    async turns(turnIds, bare = []) {
      const asked = turnIds.flatMap((id) => turns.get(id) ?? []);
      const ids = parts ? asked.filter((t) => !bare.includes(t.id)).flatMap((t) => partsOf(t).map((p) => p.id)) : [];
      const whole = new Map<string, ArchivedPart>();
      for (let from = 0; from < ids.length; from += WINDOW_PARTS) for (const part of await parts!(ids.slice(from, from + WINDOW_PARTS))) whole.set(part.id, part);
      // A part gone since the stand-ins were read (a revert meanwhile) is left out.
      const partsFor = (t: ArchivedTurn, m: ArchivedMessage) => (bare.includes(t.id) ? [] : parts ? m.parts.flatMap((p) => whole.get(p.id) ?? []) : m.parts);
      return asked.map((t) => ({ ...t, messages: t.messages.map((m) => ({ ...m, parts: partsFor(t, m) })) }));
    },
  };
}
