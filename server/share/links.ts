import { newToken } from "~/server/auth/tokens";
import type { PrismaClient } from "~/server/generated/prisma/client";
import { sharingEnabled } from "./settings";
import { namedError } from "~/server/named-error";

// Share links: a read-only door to one session tree. The token is shown once; only its SHA-256
// is stored. Every use checks the link again (revoked, expired, sharing switched off), so a
// revoke takes effect on the next request and the next live tick.

export const DEFAULT_EXPIRY_HOURS = 7 * 24;

export type Include = { reasoning: boolean; toolOutputs: boolean; subAgents: boolean };
export const INCLUDE_ALL: Include = { reasoning: true, toolOutputs: true, subAgents: true };

/** Why a link does or does not open; a visitor never learns which (one 404 for all). */
export type LinkState = "active" | "expired" | "revoked" | "sharing-off";

type LinkRow = { expiresAt: Date | null; revokedAt: Date | null };

export function linkState(link: LinkRow, enabled: boolean, now = new Date()): LinkState {
  if (link.revokedAt) return "revoked";
  if (link.expiresAt && link.expiresAt <= now) return "expired";
  return enabled ? "active" : "sharing-off";
}

export class ShareError extends namedError("ShareError") {
  constructor(
    readonly kind: "unknown-session" | "not-active" | "outside-tree",
    message: string,
  ) {
    super(message);
  }
}

/** Shares the whole tree the session belongs to (a sub-agent's id shares its root's tree). */
export async function createShareLink(
  db: PrismaClient,
  input: { sessionId: string; createdById: string; expiresInHours: number | "never"; include: Include },
) {
  const session = await db.session.findUnique({ where: { id: input.sessionId }, select: { id: true, rootId: true, purgedAt: true } });
  if (!session || session.purgedAt) throw new ShareError("unknown-session", `No session ${input.sessionId} to share.`);
  const { token, hash } = newToken();
  const expiresAt = input.expiresInHours === "never" ? null : new Date(Date.now() + input.expiresInHours * 3_600_000);
  const link = await db.shareLink.create({
    data: {
      sessionId: session.rootId ?? session.id,
      tokenHash: hash,
      createdById: input.createdById,
      expiresAt,
      includeReasoning: input.include.reasoning,
      includeToolOutputs: input.include.toolOutputs,
      includeSubAgents: input.include.subAgents,
    },
    select: { id: true, sessionId: true, expiresAt: true },
  });
  return { ...link, token };
}

/** The links of one tree (any of its sessions' ids), or of every tree; newest first. */
export async function listShareLinks(db: PrismaClient, filter: { sessionId?: string } = {}) {
  let rootId: string | undefined;
  if (filter.sessionId) {
    const session = await db.session.findUnique({ where: { id: filter.sessionId }, select: { id: true, rootId: true } });
    if (!session) throw new ShareError("unknown-session", `No session ${filter.sessionId}.`);
    rootId = session.rootId ?? session.id;
  }
  const [rows, enabled] = await Promise.all([
    db.shareLink.findMany({
      where: rootId ? { sessionId: rootId } : {},
      orderBy: { createdAt: "desc" },
      take: 500,
      select: {
        id: true,
        sessionId: true,
        createdAt: true,
        expiresAt: true,
        revokedAt: true,
        viewCount: true,
        lastViewedAt: true,
        includeReasoning: true,
        includeToolOutputs: true,
        includeSubAgents: true,
        createdBy: { select: { name: true } },
        session: { select: { title: true, purgedAt: true, _count: { select: { descendants: true } } } },
      },
    }),
    sharingEnabled(db),
  ]);
  const now = new Date();
  return rows.map(({ createdBy, session, includeReasoning, includeToolOutputs, includeSubAgents, ...row }) => ({
    ...row,
    // A purged tree's links were revoked with it: said as what happened.
    state: session.purgedAt ? ("purged" as const) : linkState(row, enabled, now),
    creator: createdBy?.name ?? null,
    title: session.title,
    sessions: Math.max(1, session._count.descendants),
    include: { reasoning: includeReasoning, toolOutputs: includeToolOutputs, subAgents: includeSubAgents },
  }));
}

/** Revoking is for good: a revoked link never opens again (sharing it anew makes a new link). */
export async function revokeShareLink(db: PrismaClient, linkId: string) {
  const { count } = await db.shareLink.updateMany({ where: { id: linkId, revokedAt: null }, data: { revokedAt: new Date() } });
  const link = await db.shareLink.findUnique({ where: { id: linkId }, select: { id: true, sessionId: true, revokedAt: true } });
  if (!link) throw new ShareError("not-active", `No share link ${linkId}.`);
  return { ...link, changed: count === 1 };
}
