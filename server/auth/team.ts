import type { PrismaClient } from "~/server/generated/prisma/client";
import type { Role } from "./caller";
import { namedError } from "~/server/named-error";

/** A refusal of a team change; the router answers it as 400/404 with this message. */
export class TeamError extends namedError("TeamError") {
  constructor(
    readonly code: "NOT_FOUND" | "BAD_REQUEST",
    message: string,
  ) {
    super(message);
  }
}

export function listMembers(db: PrismaClient) {
  return db.user.findMany({
    orderBy: { createdAt: "asc" },
    select: { id: true, name: true, email: true, role: true, disabledAt: true, createdAt: true },
  });
}

async function member(db: PrismaClient, userId: string) {
  const user = await db.user.findUnique({ where: { id: userId }, select: { id: true, email: true, role: true, disabledAt: true } });
  if (!user) throw new TeamError("NOT_FOUND", `No team member ${userId}.`);
  return user;
}

// The team must keep someone who can manage it.
async function assertAnotherAdmin(db: PrismaClient, userId: string, what: string) {
  const admins = await db.user.count({ where: { role: "admin", disabledAt: null, id: { not: userId } } });
  if (admins === 0) throw new TeamError("BAD_REQUEST", `${what} would leave the team without an admin.`);
}

export async function setRole(db: PrismaClient, input: { userId: string; role: Role }) {
  const user = await member(db, input.userId);
  if (user.role === "admin" && input.role !== "admin") await assertAnotherAdmin(db, user.id, "Changing this role");
  await db.user.update({ where: { id: user.id }, data: { role: input.role } });
  return { auditTarget: user.email, role: input.role };
}

/** Disables an account and ends its sign-ins at once (its browser sessions are deleted). */
export async function disableMember(db: PrismaClient, input: { userId: string }) {
  const user = await member(db, input.userId);
  if (user.role === "admin") await assertAnotherAdmin(db, user.id, "Disabling this account");
  await db.$transaction([
    db.user.update({ where: { id: user.id }, data: { disabledAt: new Date() } }),
    db.authSession.deleteMany({ where: { userId: user.id } }),
  ]);
  return { auditTarget: user.email };
}

export async function enableMember(db: PrismaClient, input: { userId: string }) {
  const user = await member(db, input.userId);
  await db.user.update({ where: { id: user.id }, data: { disabledAt: null } });
  return { auditTarget: user.email };
}
