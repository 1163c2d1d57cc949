import type { Tx } from "~/server/db";
import type { Prisma, SessionStatus } from "~/server/generated/prisma/client";
import { NO_USAGE, boundaryOf, Usage, type SessionBoundary } from "~/server/stream/session-boundary";
import { turnIdOf } from "~/server/stream/turn-tracker";

const json = (value: unknown) => value as Prisma.InputJsonValue;

/**
 * The SessionBoundary columns of a session as it stands in this transaction, by the
 * same rule as the live fold (server/stream/session-boundary.ts). `status` defaults to the row's.
 */
async function boundaryColumns(tx: Tx, sessionId: string, seq: number, status?: SessionStatus) {
  const session = await tx.session.findUniqueOrThrow({
    where: { id: sessionId },
    select: { opencodeId: true, status: true, agent: true, providerId: true, modelId: true },
  });
  const current = await tx.turn.findFirst({ where: { sessionId }, orderBy: { index: "desc" }, select: { id: true } });
  const messages = await tx.message.findMany({
    where: { sessionId },
    select: {
      opencodeId: true, agent: true, providerId: true, modelId: true, cost: true,
      tokensInput: true, tokensOutput: true, tokensReasoning: true, tokensCacheRead: true, tokensCacheWrite: true,
    },
  });
  const boundary = boundaryOf({
    seq,
    status: status ?? session.status,
    currentTurnId: null,
    messages: messages.map((m) => ({
      id: m.opencodeId,
      agent: m.agent ?? undefined,
      providerId: m.providerId ?? undefined,
      modelId: m.modelId ?? undefined,
      cost: m.cost,
      tokens: { input: m.tokensInput, output: m.tokensOutput, reasoning: m.tokensReasoning, cacheRead: m.tokensCacheRead, cacheWrite: m.tokensCacheWrite },
    })),
    session: { agent: session.agent ?? undefined, providerId: session.providerId ?? undefined, modelId: session.modelId ?? undefined },
  });
  return {
    seq,
    status: boundary.status,
    currentTurnId: current?.id ?? null,
    usage: json(boundary.usage),
    agent: boundary.agent ?? null,
    providerId: boundary.providerId ?? null,
    modelId: boundary.modelId ?? null,
  };
}

/** Upserts the row at a turn boundary: turn start (`running`) or the session going idle. */
export async function recordBoundary(tx: Tx, sessionId: string, seq: number, status: SessionStatus): Promise<void> {
  const columns = await boundaryColumns(tx, sessionId, seq, status);
  await tx.sessionBoundary.upsert({ where: { sessionId }, create: { sessionId, ...columns, todos: [] }, update: columns });
}

/**
 * Writes the todo list or the requests into the row. The row is there from the turn start that
 * preceded them; were it not, it is created with the session's boundary as it stands, as the fold does.
 */
export async function updateBoundaryRow(
  tx: Tx,
  sessionId: string,
  seq: number,
  data: { todos: unknown } | { requests: unknown },
): Promise<void> {
  const values = "todos" in data ? { todos: json(data.todos) } : { requests: json(data.requests) };
  const updated = await tx.sessionBoundary.updateMany({ where: { sessionId }, data: values });
  if (updated.count > 0) return;
  await tx.sessionBoundary.create({ data: { sessionId, ...(await boundaryColumns(tx, sessionId, seq)), todos: [], ...values } });
}

type BoundaryRow = Prisma.SessionBoundaryGetPayload<{ include: { currentTurn: { select: { userMessageId: true } } } }>;

/** The row as a client's SessionView carries it: the turn as an event turn id. */
export function boundaryOfRow(row: BoundaryRow, sessionOpencodeId: string): SessionBoundary {
  return {
    seq: row.seq,
    status: row.status,
    currentTurnId: row.currentTurn ? turnIdOf(sessionOpencodeId, row.currentTurn.userMessageId) : null,
    usage: Usage.catch(NO_USAGE).parse(row.usage),
    ...(row.agent !== null ? { agent: row.agent } : {}),
    ...(row.providerId !== null ? { providerId: row.providerId } : {}),
    ...(row.modelId !== null ? { modelId: row.modelId } : {}),
  };
}
