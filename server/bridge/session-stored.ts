import type { PrismaClient } from "~/server/generated/prisma/client";
import type { Bridges } from "./handle";

export type SessionStoredDeps = { db: Pick<PrismaClient, "session">; live: Pick<Bridges, "stored"> };

/**
 * Resolves once the store holds every event of the session's runner published so far. Events
 * reach viewers before the store (publish first), so a read a client makes because of what its
 * stream showed (a new sub-agent, a turn that ended) waits for this; read at once, it could find
 * that change still unwritten and keep showing the state before it.
 */
export async function sessionStored(deps: SessionStoredDeps, sessionId: string): Promise<void> {
  const row = await deps.db.session.findUnique({ where: { id: sessionId }, select: { runnerId: true } });
  if (row) await deps.live.stored(row.runnerId);
}
