import { z } from "zod";
import type { PrismaClient } from "~/server/generated/prisma/client";
import { rowId } from "~/server/row-id";
import { turnIdOf } from "~/server/stream";
import type { PartWindow, SessionView } from "~/server/stream/snapshot-state";
import { TurnIndex } from "~/server/stream/entities";
import { partEntry } from "./snapshot";

/** Parts a live snapshot holds per session (`SnapshotOptions.windowParts`), and parts per older page. */
export const WINDOW_PARTS = 400;

export const olderPartsInput = z.object({
  /** The archive id of the page's session: the tree it belongs to is the one read. */
  sessionId: rowId("Session"),
  /** The opencode id of the tree's session whose parts are wanted. */
  member: z.string().min(1, "member: the opencode id of a session of the tree"),
  /** The view's earliest part: the page holds parts before it. */
  before: z.string().min(1, "before: the earliest part id the view holds"),
  /** Every part from this turn's start on (a jump to a turn) instead of one page. */
  fromTurn: TurnIndex.optional(),
});
export type OlderPartsInput = z.infer<typeof olderPartsInput>;

export type OlderParts = {
  /** Opencode id of the session the parts belong to. */
  sessionId: string;
  parts: SessionView["parts"];
  /** What still is not loaded after this page; null: nothing. */
  window: PartWindow | null;
};

/**
 * Parts before the earliest one a windowed view holds, newest first: a page of them, or all
 * from a turn's start on. Null when the page's session or the member is not in the archive.
 */
export async function loadOlderParts(db: PrismaClient, input: OlderPartsInput): Promise<OlderParts | null> {
  const page = await db.session.findUnique({ where: { id: input.sessionId }, select: { id: true, rootId: true } });
  if (!page) return null;
  const member = await db.session.findFirst({
    where: { rootId: page.rootId ?? page.id, opencodeId: input.member },
    select: { id: true, opencodeId: true },
  });
  if (!member) return null;
  const where = {
    sessionId: member.id,
    opencodeId: { lt: input.before },
    ...(input.fromTurn === undefined ? {} : { turn: { index: { gte: input.fromTurn } } }),
  };
  const rows = await db.part.findMany({
    where,
    orderBy: { opencodeId: "desc" },
    take: input.fromTurn === undefined ? WINDOW_PARTS : undefined,
    select: { opencodeId: true, data: true, text: true, turn: { select: { userMessageId: true } } },
  });
  const parts: SessionView["parts"] = {};
  for (const row of rows) {
    const part = partEntry(row, turnIdOf(member.opencodeId, row.turn.userMessageId));
    if (part) parts[row.opencodeId] = part;
  }
  // Nothing new (a turn the view already reaches): the window stays where it was.
  const earliest = rows.at(-1) ?? (await db.part.findUnique({ where: { sessionId_opencodeId: { sessionId: member.id, opencodeId: input.before } } }));
  const boundary = earliest && partEntry(earliest, "");
  const older = boundary ? await db.part.count({ where: { sessionId: member.id, opencodeId: { lt: boundary.id } } }) : 0;
  return {
    sessionId: member.opencodeId,
    parts,
    window: older > 0 && boundary ? { partId: boundary.id, messageId: boundary.messageId, older } : null,
  };
}
