import type { Prisma, PrismaClient } from "~/server/generated/prisma/client";
import type { Caller } from "./caller";

/** What the audit log records, by the procedure's name (procedures declare it in their meta). */
export type AuditAction =
  | "session.create"
  | "session.prompt"
  | "session.abort"
  | "session.revert"
  | "session.unrevert"
  | "session.fork"
  | "session.delete"
  | "session.rename"
  | "session.answer"
  | "archive.fork"
  | "archive.purge"
  | "archive.import"
  | "archive.retention"
  | "runner.add"
  | "runner.update"
  | "runner.remove"
  | "runner.worktreeDefault"
  | "runner.alwaysAllow"
  | "team.invite"
  | "team.revokeInvite"
  | "team.join"
  | "team.role"
  | "team.disable"
  | "team.enable"
  | "share.create"
  | "share.revoke"
  | "share.switch"
  | "share.patterns"
  | "worktree.merge"
  | "worktree.discard"
  | "worktree.removeOrphan";

// What of an input is worth keeping: which choice was made, never free text (prompts can hold
// secrets, and the archive has them anyway).
const DETAIL_KEYS = ["role", "reply", "messageId", "throughTurn", "days", "name", "purged", "enabled", "expiresInHours", "worktree", "base", "kind", "commit", "path"] as const;

type Record_ = Record<string, unknown>;
const asRecord = (value: unknown): Record_ => (value && typeof value === "object" ? (value as Record_) : {});

/**
 * Writes one audit line for a successful call. The session is the tree's root, so a session
 * page shows everything done anywhere in its tree; a session that was just made is named by the
 * result's id.
 */
export async function recordAudit(db: PrismaClient, caller: Extract<Caller, { kind: "user" }>, action: AuditAction, input: unknown, result: unknown) {
  const given = asRecord(input);
  const made = asRecord(result);
  const sessionRef =
    typeof given.sessionId === "string"
      ? given.sessionId
      : typeof made.sessionId === "string"
        ? made.sessionId
        : typeof made.id === "string" && action !== "team.invite"
          ? made.id
          : undefined;
  const session = sessionRef
    ? await db.session.findUnique({ where: { id: sessionRef }, select: { id: true, rootId: true } }).catch(() => null)
    : null;
  const detail: Record_ = {};
  for (const key of DETAIL_KEYS) {
    if (given[key] !== undefined) detail[key] = given[key];
    // A result's path can be a secret (a new share link's path is its token): paths come from inputs only.
    else if (key !== "path" && made[key] !== undefined && typeof made[key] !== "object") detail[key] = made[key];
  }
  await db.auditEvent.create({
    data: {
      actorId: caller.userId,
      actorName: caller.name,
      action,
      sessionId: session ? (session.rootId ?? session.id) : null,
      target: typeof made.auditTarget === "string" ? made.auditTarget : session && session.rootId && session.rootId !== session.id ? session.id : null,
      detail: Object.keys(detail).length > 0 ? (detail as Prisma.InputJsonValue) : undefined,
    },
  });
}

/** The log, newest first: of one session tree, or of everything (the admin page). */
/** `sessionTitle`: the tree's title as it is now, so a reader knows which tree a line is about (null: purged since). */
export async function listAudit(db: PrismaClient, filter: { sessionId?: string; cursor?: string; limit?: number }) {
  const limit = filter.limit ?? 100;
  const rows = await db.auditEvent.findMany({
    where: filter.sessionId ? { sessionId: filter.sessionId } : {},
    orderBy: [{ at: "desc" }, { id: "desc" }],
    take: limit,
    ...(filter.cursor ? { cursor: { id: filter.cursor }, skip: 1 } : {}),
    select: { id: true, at: true, actorName: true, action: true, sessionId: true, target: true, detail: true },
  });
  const ids = [...new Set(rows.flatMap((r) => (r.sessionId ? [r.sessionId] : [])))];
  const sessions = ids.length ? await db.session.findMany({ where: { id: { in: ids }, purgedAt: null }, select: { id: true, title: true } }) : [];
  const titles = new Map(sessions.map((s) => [s.id, s.title]));
  return rows.map((row) => ({ ...row, sessionTitle: row.sessionId ? (titles.get(row.sessionId) ?? null) : null }));
}
