import type { PrismaClient } from "~/server/generated/prisma/client";
import { CommandError } from "~/server/sessions/command-error";

/** What a permission card needs to say before "Always allow": where the rule would apply. */
export type PermissionScope = {
  /** False when an admin switched "Always allow" off for the session's runner. */
  alwaysAllow: boolean;
  runner: { id: string; name: string; kind: "embedded" | "remote" };
  /** opencode remembers the rule for every session the runner serves in this directory. */
  directory: string;
};

export async function permissionScope(db: PrismaClient, sessionId: string): Promise<PermissionScope> {
  const row = await db.session.findUnique({
    where: { id: sessionId },
    select: { directory: true, runner: { select: { id: true, name: true, kind: true, alwaysAllow: true } } },
  });
  if (!row) throw new CommandError("NOT_FOUND", `No session ${sessionId}.`);
  const { alwaysAllow, ...runner } = row.runner;
  return { alwaysAllow, runner, directory: row.directory };
}
