import type { SessionDeps } from "./commands";
import { createRunnerClient } from "~/server/runtime/client";
import { CommandError } from "./command-error";
import { onRunner } from "./on-runner";

/**
 * Renames a session. While the runner has it, opencode takes the title (its session.updated event
 * would otherwise put the old one back); the archive row follows at once. A session deleted from
 * its runner is renamed in the archive only.
 */
export async function renameSession(deps: SessionDeps, input: { sessionId: string; title: string }): Promise<{ title: string }> {
  const row = await deps.db.session.findUnique({ where: { id: input.sessionId } });
  if (!row || row.purgedAt) throw new CommandError("NOT_FOUND", `No session ${input.sessionId}.`);
  if (!row.deletedAt) {
    const link = await deps.runners.link(row.runnerId);
    if (!link) {
      throw new CommandError("PRECONDITION_FAILED", "The runner of this session is not serving: it would put the old title back when it returns.");
    }
    await onRunner(link.endpoint, "rename the session", () =>
      createRunnerClient(link.endpoint, { directory: row.directory }).session.update({ sessionID: row.opencodeId, title: input.title }),
    );
  }
  await deps.db.session.update({ where: { id: row.id }, data: { title: input.title } });
  deps.changes.notify([row.rootId ?? row.id]);
  return { title: input.title };
}
