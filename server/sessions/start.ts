import { recordAudit } from "~/server/auth/audit";
import type { Caller } from "~/server/auth/caller";
import { createSession, promptSession, type CreateSessionInput, type ModelRef, type SessionDeps } from "./commands";

export type StartSessionInput = CreateSessionInput & { prompt?: { text: string; agent?: string; model?: ModelRef } };

/**
 * A new session and, when given, its first prompt, both sent by the server in one call: a person
 * who leaves the page as soon as they pressed Start loses neither. Both are audited here, in
 * that order (the procedure's own audit would come after the prompt's).
 */
export async function startSession(deps: SessionDeps, caller: Extract<Caller, { kind: "user" }>, input: StartSessionInput): Promise<{ id: string; opencodeId: string }> {
  const { prompt, ...create } = input;
  const session = await createSession(deps, { ...create, startedById: caller.userId });
  await recordAudit(deps.db, caller, "session.create", create, session);
  if (prompt) {
    const sent = { sessionId: session.id, ...prompt };
    await promptSession(deps, sent);
    await recordAudit(deps.db, caller, "session.prompt", sent, undefined);
  }
  return session;
}
