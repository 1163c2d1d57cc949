import type { PrismaClient } from "~/server/generated/prisma/client";
import type { SeedInput } from "~/server/stream";
import { rawPartData } from "~/server/store/part-data";

/**
 * What the archive knows about the tree of one opencode session, shaped for Normalizer.seed:
 * parent links, turn indexes, the root's last seq and every message with its parts (as raw
 * opencode data). Undefined when the archive has never seen the session. `messages` (opencode ids)
 * keeps only those messages: what a sync plans, when it trusts the rest (server/archive/fingerprints.ts).
 */
export async function loadSeed(db: PrismaClient, runnerId: string, opencodeId: string, messages?: readonly string[]): Promise<SeedInput | undefined> {
  const session = await db.session.findUnique({
    where: { runnerId_opencodeId: { runnerId, opencodeId } },
    select: { rootId: true, id: true },
  });
  if (!session) return undefined;
  const tree = await db.session.findMany({
    where: { rootId: session.rootId ?? session.id },
    select: {
      id: true,
      opencodeId: true,
      rootId: true,
      lastSeq: true,
      parents: { where: { kind: "subagent" }, select: { parent: { select: { opencodeId: true } } } },
      turns: { select: { userMessageId: true, index: true } },
      messages: {
        ...(messages ? { where: { opencodeId: { in: [...messages] } } } : {}),
        orderBy: { opencodeId: "asc" },
        select: { data: true, parts: { orderBy: { opencodeId: "asc" }, select: { data: true, text: true } } },
      },
    },
  });
  return {
    sessions: tree.map((row) => {
      const isRoot = row.rootId === row.id;
      return {
        id: row.opencodeId,
        parentId: isRoot ? null : (row.parents[0]?.parent.opencodeId ?? null),
        lastSeq: isRoot ? row.lastSeq : undefined,
        turns: row.turns,
        messages: row.messages.map((m) => ({
          info: m.data,
          parts: m.parts.map(rawPartData),
        })),
      };
    }),
  };
}

/**
 * Where a tree's seqs continue when a bridge (re)opens it: above every seq ever reserved, as one
 * handed out before a crash may never have been stored. The archive's lastSeq moves there too
 * (nothing in between is stored, so snapshots and the stream agree on where the archive stands),
 * and the next `block` is reserved. Undefined when the archive has no such root.
 */
export async function resumeSeqs(
  db: PrismaClient,
  runnerId: string,
  rootOpencodeId: string,
  block: number,
): Promise<{ resumeAt: number; through: number } | undefined> {
  const row = await db.session.findUnique({
    where: { runnerId_opencodeId: { runnerId, opencodeId: rootOpencodeId } },
    select: { id: true, lastSeq: true, seqReserved: true },
  });
  if (!row) return undefined;
  const resumeAt = Math.max(row.lastSeq, row.seqReserved);
  await db.session.update({ where: { id: row.id }, data: { lastSeq: resumeAt, seqReserved: resumeAt + block } });
  return { resumeAt, through: resumeAt + block };
}
