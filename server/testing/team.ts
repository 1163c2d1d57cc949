import { randomUUID } from "node:crypto";
import type { Caller, Role } from "~/server/auth/caller";
import type { PrismaClient } from "~/server/generated/prisma/client";

/** A team member who exists in the database (what they do is recorded under their id). */
export async function teamMember(db: PrismaClient, role: Role, name = `Test ${role}`): Promise<Extract<Caller, { kind: "user" }>> {
  const email = `${role}-${randomUUID()}@flightdeck.test`;
  const user = await db.user.create({ data: { email, name, role } });
  return { kind: "user", userId: user.id, name, email, role };
}
