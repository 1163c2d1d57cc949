import type { PrismaClient } from "~/server/generated/prisma/client";
import type { InvitePurpose, Role } from "~/server/generated/prisma/enums";
import { hashToken, newToken } from "./tokens";
import { namedError } from "~/server/named-error";

const DAY_MS = 24 * 60 * 60 * 1000;

export class InviteError extends namedError("InviteError") {}

/** Makes a one-time link's token. The token is returned once; the database keeps its hash. */
export async function createInvite(
  db: PrismaClient,
  input: { role: Role; purpose?: InvitePurpose; createdById?: string; expiresInDays?: number },
): Promise<{ id: string; token: string; expiresAt: Date }> {
  const { token, hash } = newToken();
  const expiresAt = new Date(Date.now() + (input.expiresInDays ?? 7) * DAY_MS);
  const row = await db.invite.create({
    data: { tokenHash: hash, role: input.role, purpose: input.purpose ?? "invite", createdById: input.createdById, expiresAt },
  });
  return { id: row.id, token, expiresAt };
}

/** What a link lets its holder do, or why it does not (for the sign-up page, before anything is typed). */
export async function inspectInvite(db: PrismaClient, token: string): Promise<{ role: Role; purpose: InvitePurpose }> {
  const invite = await db.invite.findUnique({ where: { tokenHash: hashToken(token) } });
  if (!invite) throw new InviteError("This link is not valid. Ask an admin for a new one.");
  if (invite.usedAt) throw new InviteError("This link was already used. Ask an admin for a new one.");
  if (invite.revokedAt) throw new InviteError("This link was revoked. Ask an admin for a new one.");
  if (invite.expiresAt <= new Date()) throw new InviteError("This link has expired. Ask an admin for a new one.");
  return { role: invite.role, purpose: invite.purpose };
}

/**
 * Spends a link for one new account and says which role it grants. The update is conditional,
 * so of two sign-ups racing on one link exactly one wins.
 */
export async function redeemInvite(db: PrismaClient, token: string, email: string): Promise<Role> {
  const { role } = await inspectInvite(db, token);
  const spent = await db.invite.updateMany({
    where: { tokenHash: hashToken(token), usedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
    data: { usedAt: new Date(), usedByEmail: email },
  });
  if (spent.count !== 1) throw new InviteError("This link was already used. Ask an admin for a new one.");
  return role;
}

/** Invites not used, revoked or expired, newest first (the admin's list). */
export function openInvites(db: PrismaClient) {
  return db.invite.findMany({
    where: { purpose: "invite", usedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
    orderBy: { createdAt: "desc" },
    select: { id: true, role: true, createdAt: true, expiresAt: true, createdBy: { select: { name: true } } },
  });
}

export async function revokeInvite(db: PrismaClient, id: string): Promise<void> {
  const revoked = await db.invite.updateMany({ where: { id, usedAt: null, revokedAt: null }, data: { revokedAt: new Date() } });
  if (revoked.count !== 1) throw new InviteError("No open invite with that id.");
}
