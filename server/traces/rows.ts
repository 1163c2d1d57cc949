import type { Message, PrismaClient, Session, ToolSpan, Turn, WaitSpan } from "~/server/generated/prisma/client";
import { purgedError } from "~/server/archive/read";
import { decodeText } from "~/server/store/lossless-text";

/**
 * The stored rows a trace is built from, read per tree in five plain SQL queries: a 10,000-span
 * tree is read in a fraction of what Prisma's per-row work and relation queries take (raw SQL
 * is not decoded by the lossless extension: the text columns are decoded here). Reverted
 * sub-agents and reverted turns are left out (the runner no longer has them; the archive keeps
 * them under Reverted). Tool input and output are not read: the span panel loads them alone.
 */
export type TraceRows = {
  rootId: string;
  sessions: Pick<Session, "id" | "rootId" | "title" | "agent" | "modelId" | "status">[];
  turns: Pick<Turn, "id" | "sessionId" | "index" | "status" | "startedAt" | "endedAt">[];
  messages: (Pick<
    Message,
    | "id" | "sessionId" | "turnId" | "role" | "agent" | "modelId" | "cost" | "costSource" | "createdAt" | "completedAt"
    | "tokensInput" | "tokensOutput" | "tokensReasoning" | "tokensCacheRead" | "tokensCacheWrite"
  > & { errorName: string | null })[];
  tools: (Pick<ToolSpan, "id" | "sessionId" | "turnId" | "callId" | "tool" | "title" | "status" | "startedAt" | "endedAt" | "childSessionId"> & {
    /** The step (assistant message) whose part the call is. */
    messageId: string;
  })[];
  waits: Pick<WaitSpan, "id" | "sessionId" | "turnId" | "kind" | "callId" | "title" | "reply" | "startedAt" | "endedAt">[];
};

/** The root of a session's tree (the session itself for a root); null when there is no such session. */
/** The root of the tree `sessionId` belongs to; a purged tree has no trace left to show, and says so. */
export async function rootOf(db: PrismaClient, sessionId: string): Promise<string | null> {
  const row = await db.session.findUnique({ where: { id: sessionId }, select: { id: true, rootId: true, purgedAt: true, root: { select: { purgedAt: true } } } });
  if (!row) return null;
  const purgedAt = row.purgedAt ?? row.root?.purgedAt;
  if (purgedAt) throw purgedError(sessionId, purgedAt);
  return row.rootId ?? row.id;
}

const text = (value: string | null) => (value === null ? null : decodeText(value));

// Each query has an order of its own: rows are read in the same order however the table's
// storage moved them (the search indexer rewrites every part once), so a page rendered twice
// from the same tree (server, then browser) lays out spans that tie on time the same way.
export async function loadTraceRows(db: PrismaClient, rootId: string): Promise<TraceRows> {
  const [sessions, turns, messages, tools, waits] = await Promise.all([
    db.$queryRaw<TraceRows["sessions"]>`
      SELECT s."id", s."rootId", s."title", s."agent", s."modelId", s."status"::text AS "status"
      FROM "Session" s WHERE (s."id" = ${rootId} OR s."rootId" = ${rootId}) AND s."revertedAt" IS NULL ORDER BY s."id"`,
    db.$queryRaw<TraceRows["turns"]>`
      SELECT u."id", u."sessionId", u."index", u."status"::text AS "status", u."startedAt", u."endedAt"
      FROM "Turn" u JOIN "Session" s ON s."id" = u."sessionId"
      WHERE (s."id" = ${rootId} OR s."rootId" = ${rootId}) AND s."revertedAt" IS NULL AND u."revertedAt" IS NULL ORDER BY u."id"`,
    db.$queryRaw<TraceRows["messages"]>`
      SELECT m."id", m."sessionId", m."turnId", m."role", m."agent", m."modelId", m."cost", m."costSource"::text AS "costSource",
        m."createdAt", m."completedAt", m."tokensInput", m."tokensOutput", m."tokensReasoning", m."tokensCacheRead", m."tokensCacheWrite",
        CASE WHEN m."error" IS NULL THEN NULL ELSE COALESCE(m."error"->>'name', 'Error') END AS "errorName"
      FROM "Message" m JOIN "Session" s ON s."id" = m."sessionId" JOIN "Turn" u ON u."id" = m."turnId"
      WHERE (s."id" = ${rootId} OR s."rootId" = ${rootId}) AND s."revertedAt" IS NULL AND u."revertedAt" IS NULL ORDER BY m."id"`,
    db.$queryRaw<TraceRows["tools"]>`
      SELECT t."id", t."sessionId", t."turnId", t."callId", t."tool", t."title", t."status"::text AS "status", t."startedAt", t."endedAt",
        t."childSessionId", p."messageId"
      FROM "ToolSpan" t JOIN "Part" p ON p."id" = t."partId" JOIN "Session" s ON s."id" = t."sessionId" JOIN "Turn" u ON u."id" = t."turnId"
      WHERE (s."id" = ${rootId} OR s."rootId" = ${rootId}) AND s."revertedAt" IS NULL AND u."revertedAt" IS NULL ORDER BY t."id"`,
    db.$queryRaw<TraceRows["waits"]>`
      SELECT w."id", w."sessionId", w."turnId", w."kind"::text AS "kind", w."callId", w."title", w."reply", w."startedAt", w."endedAt"
      FROM "WaitSpan" w JOIN "Session" s ON s."id" = w."sessionId" LEFT JOIN "Turn" u ON u."id" = w."turnId"
      WHERE (s."id" = ${rootId} OR s."rootId" = ${rootId}) AND s."revertedAt" IS NULL AND u."revertedAt" IS NULL ORDER BY w."id"`,
  ]);
  return {
    rootId,
    sessions: sessions.map((s) => ({ ...s, title: decodeText(s.title), agent: text(s.agent), modelId: text(s.modelId) })),
    turns,
    messages: messages.map((m) => ({ ...m, agent: text(m.agent), modelId: text(m.modelId), errorName: text(m.errorName) })),
    tools: tools.map((t) => ({ ...t, callId: decodeText(t.callId), tool: decodeText(t.tool), title: text(t.title) })),
    waits: waits.map((w) => ({ ...w, callId: text(w.callId), title: decodeText(w.title), reply: text(w.reply) })),
  };
}
