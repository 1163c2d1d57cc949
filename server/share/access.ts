import { createHash } from "node:crypto";
import type { Caller } from "~/server/auth/roles";
import { hashToken } from "~/server/auth/tokens";
import type { PrismaClient } from "~/server/generated/prisma/client";
import { linkState, ShareError, type Include } from "./links";
import { countBadToken, isLimited } from "./rate-limit";
import { sharingEnabled } from "./settings";
import { viewerOf } from "./viewer";

export type ShareCaller = Extract<Caller, { kind: "share" }>;

/**
 * Who is asking, as far as a share link cares: an address for the rate limit, and for view
 * counts the viewer cookie (proxy.ts), else the address and user agent.
 */
export type ShareClient = { address: string; userAgent: string; viewer?: string };

export function shareClientOf(headers: Headers): ShareClient {
  const forwarded = headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  return {
    address: forwarded || headers.get("x-real-ip") || "unknown",
    userAgent: headers.get("user-agent") ?? "",
    viewer: viewerOf(headers.get("cookie")),
  };
}

/**
 * A token → the share caller, or null: unknown, expired, revoked, sharing off and rate-limited
 * all look the same to the visitor. `countView` records a page view (once per viewer and day).
 */
export async function resolveShareToken(
  db: PrismaClient,
  token: string,
  client: ShareClient,
  options: { countView?: boolean } = {},
): Promise<ShareCaller | null> {
  if (await isLimited(db, client.address)) return null;
  const link = token.length <= 200 ? await db.shareLink.findUnique({ where: { tokenHash: hashToken(token) }, select: { id: true, sessionId: true, expiresAt: true, revokedAt: true } }) : null;
  if (!link || linkState(link, await sharingEnabled(db)) !== "active") {
    // A link its owner revoked is not a guess; only tokens that name no link count.
    if (!link) await countBadToken(db, client.address);
    return null;
  }
  if (options.countView) await recordView(db, link.id, client);
  return { kind: "share", shareLinkId: link.id, sessionId: link.sessionId };
}

/** The link behind a share caller, if it still opens (checked on every request and live tick). */
export type ActiveLink = { sessionId: string; expiresAt: Date | null; include: Include };

export async function activeLink(db: PrismaClient, linkId: string): Promise<ActiveLink | null> {
  const [link, enabled] = await Promise.all([
    db.shareLink.findUnique({
      where: { id: linkId },
      select: { sessionId: true, expiresAt: true, revokedAt: true, includeReasoning: true, includeToolOutputs: true, includeSubAgents: true },
    }),
    sharingEnabled(db),
  ]);
  if (!link || linkState(link, enabled) !== "active") return null;
  return { sessionId: link.sessionId, expiresAt: link.expiresAt, include: { reasoning: link.includeReasoning, toolOutputs: link.includeToolOutputs, subAgents: link.includeSubAgents } };
}

/** A session a link shares: in its tree, and the root itself when sub-agents are left out. */
export async function sharedSessionOf(db: PrismaClient, link: ActiveLink, sessionId: string): Promise<void> {
  const session = await db.session.findUnique({ where: { id: sessionId }, select: { id: true, rootId: true } });
  const inTree = !!session && (session.rootId ?? session.id) === link.sessionId && (link.include.subAgents || session.id === link.sessionId);
  if (!inTree) throw new ShareError("outside-tree", "This link does not share that session.");
}

async function recordView(db: PrismaClient, linkId: string, client: ShareClient) {
  const now = new Date();
  const day = now.toISOString().slice(0, 10);
  const viewer = createHash("sha256").update(client.viewer ?? `${client.address}\n${client.userAgent}`).digest("hex").slice(0, 32);
  const { count } = await db.shareView.createMany({ data: [{ linkId, viewer, day }], skipDuplicates: true });
  await db.shareLink.update({
    where: { id: linkId },
    data: { lastViewedAt: now, ...(count > 0 ? { viewCount: { increment: 1 } } : {}) },
  });
}
