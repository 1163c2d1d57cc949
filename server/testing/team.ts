import { randomUUID } from "node:crypto";
import type { Caller, Role } from "~/server/auth/caller";
import type { PrismaClient } from "~/server/generated/prisma/client";

/** A team member who exists in the database (what they do is recorded under their id). */
export async function teamMember(db: PrismaClient, role: Role, name = `Test ${role}`): Promise<Extract<Caller, { kind: "user" }>> {
  const email = `${role}-${randomUUID()}@flightdeck.test`;
  const user = await db.user.create({ data: { email, name, role } });
  return { kind: "user", userId: user.id, name, email, role };
}

/** A team member signed in: their account and the sign-in (AuthSession) a cookie would name. */
export async function signedIn(db: PrismaClient, role: Role): Promise<Extract<Caller, { kind: "user" }>> {
  const member = await teamMember(db, role);
  const signIn = await db.authSession.create({ data: { userId: member.userId, token: randomUUID(), expiresAt: new Date(Date.now() + 3_600_000) } });
  return { ...member, authSessionId: signIn.id };
}
