import type { Prisma, PrismaClient } from "~/server/generated/prisma/client";

/**
 * The stored rows a trace is built from, read in one go per tree. Reverted sub-agents and
 * reverted turns are left out (the runner no longer has them; the archive keeps them under
 * Reverted). Tool input and output are not read here: the span panel loads them on demand.
 */
const sessionSelect = { id: true, rootId: true, title: true, agent: true, modelId: true, status: true } satisfies Prisma.SessionSelect;
const turnSelect = { id: true, sessionId: true, index: true, status: true, startedAt: true, endedAt: true } satisfies Prisma.TurnSelect;
const messageSelect = {
  id: true,
  sessionId: true,
  turnId: true,
  role: true,
  agent: true,
  modelId: true,
  tokensInput: true,
  tokensOutput: true,
  tokensReasoning: true,
  tokensCacheRead: true,
  tokensCacheWrite: true,
  cost: true,
  costSource: true,
  error: true,
  createdAt: true,
  completedAt: true,
} satisfies Prisma.MessageSelect;
const toolSelect = {
  id: true,
  sessionId: true,
  turnId: true,
  callId: true,
  tool: true,
  title: true,
  status: true,
  startedAt: true,
  endedAt: true,
  childSessionId: true,
  part: { select: { messageId: true } },
} satisfies Prisma.ToolSpanSelect;
const waitSelect = {
  id: true,
  sessionId: true,
  turnId: true,
  kind: true,
  callId: true,
  title: true,
  reply: true,
  startedAt: true,
  endedAt: true,
} satisfies Prisma.WaitSpanSelect;

export type TraceRows = {
  rootId: string;
  sessions: Prisma.SessionGetPayload<{ select: typeof sessionSelect }>[];
  turns: Prisma.TurnGetPayload<{ select: typeof turnSelect }>[];
  messages: Prisma.MessageGetPayload<{ select: typeof messageSelect }>[];
  tools: Prisma.ToolSpanGetPayload<{ select: typeof toolSelect }>[];
  waits: Prisma.WaitSpanGetPayload<{ select: typeof waitSelect }>[];
};

/** The root of a session's tree (the session itself for a root); null when there is no such session. */
export async function rootOf(db: PrismaClient, sessionId: string): Promise<string | null> {
  const row = await db.session.findUnique({ where: { id: sessionId }, select: { id: true, rootId: true } });
  return row ? (row.rootId ?? row.id) : null;
}

export async function loadTraceRows(db: PrismaClient, rootId: string): Promise<TraceRows> {
  const inTree = { OR: [{ id: rootId }, { rootId }], revertedAt: null } satisfies Prisma.SessionWhereInput;
  const ofTree = { session: inTree, turn: { revertedAt: null } };
  const [sessions, turns, messages, tools, waits] = await Promise.all([
    db.session.findMany({ where: inTree, select: sessionSelect }),
    db.turn.findMany({ where: { session: inTree, revertedAt: null }, select: turnSelect }),
    db.message.findMany({ where: ofTree, select: messageSelect }),
    db.toolSpan.findMany({ where: ofTree, select: toolSelect }),
    db.waitSpan.findMany({ where: { session: inTree, OR: [{ turnId: null }, { turn: { revertedAt: null } }] }, select: waitSelect }),
  ]);
  return { rootId, sessions, turns, messages, tools, waits };
}
