import { randomUUID } from "node:crypto";
import type { PrismaClient } from "~/server/generated/prisma/client";

// A family written directly as the live path and archive sync would: a root with two turns, a
// depth-2 sub-agent chain spawned in turn 2 (plus a reverted sub-agent), a fork of the root at
// turn 2 and a fork of that fork at its turn 1. Times are seconds after `at(0)`.

export const at = (seconds: number) => new Date(Date.parse("2026-11-23T10:00:00Z") + seconds * 1000);

export async function seedFamily(db: PrismaClient) {
  const runnerId = (await db.runner.create({ data: { name: `r-${randomUUID()}`, kind: "remote", url: "" } })).id;
  const session = async (title: string, rootId?: string, extra: { tokensInput?: number; cost?: number; agent?: string; revertedAt?: Date } = {}) => {
    const row = await db.session.create({
      data: { opencodeId: `ses_${randomUUID()}`, runnerId, directory: "/w", title, createdAt: at(0), lastActivityAt: at(100), ...extra },
    });
    return (await db.session.update({ where: { id: row.id }, data: { rootId: rootId ?? row.id } })).id;
  };
  const turn = (sessionId: string, index: number, from: number, to: number) =>
    db.turn.create({
      data: { sessionId, index, userMessageId: `msg_${sessionId}_${index}`, status: "completed", startedAt: at(from), endedAt: at(to) },
    });
  const link = (parentId: string, childId: string, kind: "subagent" | "fork", turnId: string, toolCallId?: string) =>
    db.sessionRelation.create({ data: { parentId, childId, kind, turnId, toolCallId } });

  const root = await session("Root", undefined, { tokensInput: 100, cost: 0.5, agent: "build" });
  const first = await turn(root, 1, 0, 10);
  const second = await turn(root, 2, 20, 50);
  const child = await session("Child", root, { tokensInput: 40, agent: "general" });
  const grandchild = await session("Grandchild", root);
  const gone = await session("Reverted", root, { revertedAt: at(60) });
  await link(root, child, "subagent", second.id, "call_1");
  await link(child, grandchild, "subagent", (await turn(child, 1, 21, 40)).id, "call_2");
  await link(root, gone, "subagent", second.id, "call_3");
  const fork = await session("Fork");
  await link(root, fork, "fork", second.id);
  const forkTurn = await turn(fork, 1, 70, 75);
  const forkOfFork = await session("Fork of fork");
  await link(fork, forkOfFork, "fork", forkTurn.id);
  const message = (turnId: string, tokensInput: number) =>
    db.message.create({
      data: { sessionId: root, turnId, opencodeId: `m_${randomUUID()}`, role: "assistant", tokensInput, tokensOutput: 5, cost: 0.1, data: {}, createdAt: at(1) },
    });
  await message(first.id, 30);
  await message(second.id, 20);
  await message(second.id, 22);
  return { root, child, grandchild, gone, fork, forkOfFork, first, second };
}

