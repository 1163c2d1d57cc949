import type { PrismaClient } from "~/server/generated/prisma/client";
import { ArchiveError } from "./errors";
import { archiveStatus, assembleTree, readTreeContent, readTreeOutline, type ArchivedTree } from "./read";
import { storedTreeStats } from "./stored-stats";
import type { TreeStats } from "./stats";

// One page of an archived session, read from the database: the tree's outline (sessions,
// turns, links) and the content (messages, parts, tool spans) of the page's parts only, plus
// the small sub-agents they spawned. A long session is never one giant page: its parts, in
// reading order, are cut into pages of PAGE_PARTS (a turn, even one message, may span pages;
// a page that starts inside a turn repeats its prompt), reached by `?page=` or `?turn=`;
// what a page does not hold is a link.

/** Parts per page: the first screen and a few more, some hundreds of KB of HTML with its RSC payload. */
export const PAGE_PARTS = 150;
/** A sub-agent (with its own sub-agents) this small is shown in place; a larger one is a link. */
export const INLINE_PARTS = 200;

export type PageAddress = { page?: number; turn?: number };

export type ArchivedPage = {
  /** Content only for this page's parts (and its turns' prompts) and the sub-agents in `inlined`. */
  tree: ArchivedTree;
  stats: TreeStats;
  /** 1-based. */
  page: number;
  /** Per page of the requested session: its first and last turn index. */
  pages: { firstTurn: number; lastTurn: number }[];
  /** Turn index of the requested session → the first page that holds part of it. */
  turnPages: Record<number, number>;
  /** Row ids of this page's turns of the requested session. */
  turns: string[];
  /** Sub-agents whose conversations this page holds. */
  inlined: string[];
};

/** A message of the session in reading order, and its parts' row ids in order. */
type Indexed = { id: string; turnId: string; role: string; parts: string[] };

/** The session's parts in reading order, each with its message and turn, cut into pages. */
type Slot = { part: string | null; message: Indexed };

export function pagesOf(messages: Indexed[], budget = PAGE_PARTS): Slot[][] {
  const slots = messages.flatMap((m): Slot[] => (m.parts.length ? m.parts.map((part) => ({ part, message: m })) : [{ part: null, message: m }]));
  const pages: Slot[][] = [];
  for (let i = 0; i < slots.length; i += budget) pages.push(slots.slice(i, i + budget));
  return pages.length ? pages : [[]];
}

export async function loadArchivedPage(db: PrismaClient, rawId: string, address: PageAddress = {}): Promise<ArchivedPage> {
  const status = await archiveStatus(db, rawId);
  const read = await db.$transaction(
    async (tx) => {
      const outline = await readTreeOutline(tx, status);
      const ids = outline.sessions.map((s) => s.id);
      const [messages, parts, sessionParts] = await Promise.all([
        tx.message.findMany({ where: { sessionId: status.id }, select: { id: true, turnId: true, role: true }, orderBy: [{ createdAt: "asc" }, { opencodeId: "asc" }] }),
        tx.part.findMany({ where: { sessionId: status.id }, select: { id: true, messageId: true }, orderBy: { opencodeId: "asc" } }),
        tx.part.groupBy({ by: ["sessionId"], where: { sessionId: { in: ids } }, _count: { _all: true } }),
      ]);
      const partsOf = new Map<string, string[]>();
      for (const p of parts) {
        const list = partsOf.get(p.messageId);
        if (list) list.push(p.id);
        else partsOf.set(p.messageId, [p.id]);
      }
      const turnIndex = new Map(outline.turns.filter((t) => t.sessionId === status.id).map((t) => [t.id, t.index]));
      // Turn by turn (a turn's messages together, in order), as the conversation reads.
      const indexed = messages
        .map((m) => ({ ...m, parts: partsOf.get(m.id) ?? [] }))
        .sort((a, b) => (turnIndex.get(a.turnId) ?? 0) - (turnIndex.get(b.turnId) ?? 0));
      const all = pagesOf(indexed);
      const turnPages: Record<number, number> = {};
      all.forEach((slots, i) => {
        for (const { message } of slots) {
          const index = turnIndex.get(message.turnId);
          if (index !== undefined) turnPages[index] ??= i + 1;
        }
      });
      const page = Math.min(Math.max(address.turn !== undefined ? (turnPages[address.turn] ?? 1) : (address.page ?? 1), 1), all.length);
      const slots = all[page - 1]!;
      const pages = all.map((p) => ({ firstTurn: turnIndex.get(p[0]?.message.turnId ?? "") ?? 0, lastTurn: turnIndex.get(p.at(-1)?.message.turnId ?? "") ?? 0 }));
      const turns = new Set(slots.map((s) => s.message.turnId));
      // Turns with no message yet (a prompt still being stored) go on the last page.
      if (page === all.length) {
        const withMessages = new Set(indexed.map((m) => m.turnId));
        for (const t of outline.turns) if (t.sessionId === status.id && !withMessages.has(t.id)) turns.add(t.id);
      }
      // A page that starts inside a turn repeats its prompt.
      const prompts = indexed.filter((m) => m.role === "user" && turns.has(m.turnId));
      const messageIds = [...new Set([...slots.map((s) => s.message.id), ...prompts.map((m) => m.id)])];
      const partIds = [...new Set([...slots.flatMap((s) => (s.part ? [s.part] : [])), ...prompts.flatMap((m) => m.parts)])];
      const spawned = await tx.toolSpan.findMany({
        where: { partId: { in: partIds }, childSessionId: { not: null } },
        select: { childSessionId: true },
      });
      const inlined = smallSubtrees(
        spawned.map((s) => s.childSessionId!),
        outline.relations,
        new Map(sessionParts.map((c) => [c.sessionId, c._count._all])),
      );
      const content = await readTreeContent(tx, ids, { messageIds, partIds, sessionIds: inlined });
      const stats = await storedTreeStats(tx, status.rootId, outline);
      return { rows: { ...outline, ...content }, stats, page, pages, turnPages, turns: [...turns], inlined };
    },
    { isolationLevel: "RepeatableRead", timeout: 60_000, maxWait: 60_000 },
  );
  if (!read.rows.sessions.some((s) => s.id === status.rootId)) throw new ArchiveError("unknown", `No archived session ${status.rootId}.`);
  const { rows, ...rest } = read;
  return { tree: assembleTree(status.id, status.rootId, rows), ...rest };
}

/** The whole output of one archived tool call (a page shows a head of a long one and links here). */
export async function archivedToolOutput(db: PrismaClient, rawId: string, partId: string): Promise<string> {
  const status = await archiveStatus(db, rawId);
  const span = await db.toolSpan.findFirst({ where: { partId, session: { OR: [{ id: status.rootId }, { rootId: status.rootId }] } }, select: { output: true, error: true } });
  if (!span) throw new ArchiveError("unknown", `No tool call ${partId.slice(0, 40)} in this session's archive.`);
  return span.output ?? span.error ?? "";
}

/** The sub-agents (and all their descendants) whose subtree is small enough to show in place. */
function smallSubtrees(children: string[], relations: { parentId: string; childId: string; kind: string }[], parts: Map<string, number>): string[] {
  const below = new Map<string, string[]>();
  for (const r of relations) if (r.kind === "subagent") below.set(r.parentId, [...(below.get(r.parentId) ?? []), r.childId]);
  const subtree = (id: string, seen = new Set<string>()): string[] => {
    if (seen.has(id)) return [];
    seen.add(id);
    return [id, ...(below.get(id) ?? []).flatMap((c) => subtree(c, seen))];
  };
  return children.flatMap((child) => {
    const members = subtree(child);
    return members.reduce((sum, id) => sum + (parts.get(id) ?? 0), 0) <= INLINE_PARTS ? members : [];
  });
}
