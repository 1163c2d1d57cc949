import type { Tx } from "~/server/db";
import { Prisma, type PrismaClient } from "~/server/generated/prisma/client";
import { archivedPart, archiveStatus, type ArchivedPart, type Rows } from "./read";

// A tree read without its content (a share link's outline, which its redaction and files start
// from): a stand-in for each part keeps what the conversation's rows are computed from (type,
// times, tool call, whether its text is blank, the synthetic and ignored flags) and none of its
// content (text, tool input and output, raw data); the whole parts are read a few hundred at a
// time when they are shown or scanned.

/**
 * Not JavaScript's `trim()` whitespace: a text of those characters only is a blank row, which
 * the views leave out (components/session/rows.ts), so the stand-in must say so exactly.
 */
const NOT_BLANK = "[^\\t\\n\\v\\f\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff]";
/** A stand-in's text: never rendered when the content is read, an ellipsis if that part is gone by then. */
const SOME_TEXT = "…";

/** Messages (without opencode's raw info), part stand-ins and tool spans (without input, output and error) of these sessions. */
export async function readStandIns(tx: Tx, sessionIds: string[]): Promise<Pick<Rows, "messages" | "parts" | "spans">> {
  if (sessionIds.length === 0) return { messages: [], parts: [], spans: [] };
  const [messages, parts, spans] = await Promise.all([
    tx.message.findMany({
      where: { sessionId: { in: sessionIds } },
      omit: { data: true, syncFingerprint: true, syncVerifiedAt: true, priceVersion: true, costSource: true },
      orderBy: [{ createdAt: "asc" }, { opencodeId: "asc" }],
    }),
    // Step ends keep their raw data: the rows read their usage from it, and it is small.
    tx.$queryRaw<Rows["parts"]>`
      SELECT id, "messageId", "opencodeId", type, "startedAt", "endedAt",
        CASE WHEN text IS NULL THEN NULL WHEN text ~ ${NOT_BLANK} THEN ${SOME_TEXT} ELSE '' END AS text,
        CASE WHEN type = 'step-finish' THEN data
          ELSE jsonb_strip_nulls(jsonb_build_object('synthetic', data -> 'synthetic', 'ignored', data -> 'ignored')) END AS data
      FROM "Part" WHERE "sessionId" IN (${Prisma.join(sessionIds)}) ORDER BY "opencodeId"`,
    tx.toolSpan.findMany({ where: { sessionId: { in: sessionIds } }, omit: { input: true, output: true, error: true } }),
  ]);
  return { messages, parts, spans: spans.map((span) => ({ ...span, input: null, output: null, error: null })) };
}

/** Most parts read at once (a piece of the export asks for fewer). */
export const PARTS_PER_READ = 1_000;

/** The whole parts (with their tool calls) of a tree, by row id; ids of other trees are left out. */
export async function readWholeParts(db: PrismaClient, rawId: string, partIds: string[]): Promise<ArchivedPart[]> {
  const { rootId } = await archiveStatus(db, rawId);
  const inTree = { session: { OR: [{ id: rootId }, { rootId }] } };
  const [parts, spans] = await Promise.all([
    db.part.findMany({ where: { id: { in: partIds }, ...inTree } }),
    db.toolSpan.findMany({ where: { partId: { in: partIds }, ...inTree }, include: { childSession: { select: { id: true, rootId: true } } } }),
  ]);
  // A sub-agent link points into this tree or nowhere (as in the whole tree's read).
  const ids = new Set(spans.flatMap(({ childSession: child }) => (child?.rootId === rootId ? [child.id] : [])));
  const byPart = new Map(spans.map((span) => [span.partId, span]));
  return parts.map((part) => archivedPart(part, byPart.get(part.id), ids));
}
