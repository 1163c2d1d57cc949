import type { Services } from "~/server/services";
import { createRunnerClient } from "~/server/runtime/client";
import type { RunnerLink } from "~/server/bridge/manager";
import { recordFork } from "~/server/store/fork-relation";
import { makeWorktree, removeWorktree, type WorktreeOptions } from "~/server/worktrees/create";
import { CommandError } from "./command-error";
import { localSessionDirectory, remoteSessionDirectory } from "./directory";
import { onRunner } from "./on-runner";

export type ModelRef = { providerID: string; modelID: string };

export async function linkOf(services: Services, runnerId: string): Promise<RunnerLink> {
  const link = await services.runners.link(runnerId);
  if (!link) throw new CommandError("PRECONDITION_FAILED", "The runner of this session is not serving right now.");
  return link;
}

export async function sessionRow(services: Services, sessionId: string) {
  const row = await services.db.session.findUnique({ where: { id: sessionId } });
  if (!row || row.purgedAt) throw new CommandError("NOT_FOUND", `No session ${sessionId}.`);
  if (row.deletedAt) throw new CommandError("PRECONDITION_FAILED", "This session was deleted; its archive is read-only.");
  // Viewers see events before the archive stores them: a command acts on what its caller saw
  // (a request, a message, a sub-agent), so it waits for that to be stored.
  await services.live.stored(row.runnerId);
  return row;
}

// The runner answers an unknown message id with a 500 of its own: say what was wrong instead.
async function assertMessage(services: Services, sessionRowId: string, messageId: string): Promise<void> {
  const message = await services.db.message.findUnique({
    where: { sessionId_opencodeId: { sessionId: sessionRowId, opencodeId: messageId } },
    select: { id: true },
  });
  if (!message) throw new CommandError("NOT_FOUND", `No message ${messageId} in this session.`);
}

/** What a new session asks for; `worktree` defaults to its runner's `worktreeByDefault`. */
export type CreateSessionInput = WorktreeOptions & { runnerId: string; directory: string; title?: string; startedById?: string };

/**
 * Creates a session on a runner and returns its archive row id once the archive has it. With a
 * worktree the session runs in a checkout of its own, made from `directory` (see server/worktrees).
 */
export async function createSession(services: Services, input: CreateSessionInput): Promise<{ id: string; opencodeId: string }> {
  const link = await linkOf(services, input.runnerId);
  const local = link.runnerId === services.runners.embeddedRunnerId;
  // Checked before any bridge exists: a directory the runner cannot follow would leave one behind.
  const directory = local
    ? await localSessionDirectory(input.directory, services.workspaceRoots)
    : await remoteSessionDirectory(link.endpoint, input.directory);
  const mount = (await wantsWorktree(services, input))
    ? await makeWorktree({ endpoint: link.endpoint, local }, { repository: directory, base: input.base, name: input.worktreeName })
    : undefined;
  try {
    const row = await createOnRunner(services, link, mount?.path ?? directory, input);
    if (mount) await services.db.mount.create({ data: { sessionId: row.id, ...mount } });
    return row;
  } catch (error) {
    if (mount) await removeWorktree(createRunnerClient(link.endpoint, { directory }), mount.path).catch(() => undefined);
    throw error;
  }
}

async function wantsWorktree(services: Services, input: CreateSessionInput): Promise<boolean> {
  const runner = await services.db.runner.findUniqueOrThrow({ where: { id: input.runnerId }, select: { worktreeByDefault: true } });
  const wanted = input.worktree ?? runner.worktreeByDefault;
  if (!wanted && (input.base !== undefined || input.worktreeName !== undefined)) {
    throw new CommandError("BAD_REQUEST", "A base or worktree name applies only to a session with a worktree of its own (worktree: true).");
  }
  return wanted;
}

async function createOnRunner(services: Services, link: RunnerLink, directory: string, input: CreateSessionInput) {
  const bridge = await services.live.ensure(link, directory);
  const client = createRunnerClient(link.endpoint, { directory });
  const { data: info } = await onRunner(link.endpoint, "create the session", () => client.session.create({ title: input.title }, { throwOnError: true }));
  await bridge.reconcile([info.id]);
  await bridge.settle();
  return services.db.session.update({
    where: { runnerId_opencodeId: { runnerId: input.runnerId, opencodeId: info.id } },
    data: { startedById: input.startedById },
    select: { id: true, opencodeId: true },
  });
}

/** Sends a prompt; the run continues on the runner whether or not anyone watches. */
export async function promptSession(
  services: Services,
  input: { sessionId: string; text: string; agent?: string; model?: ModelRef; acknowledgeStale?: boolean },
): Promise<void> {
  const row = await sessionRow(services, input.sessionId);
  if (row.stale && !input.acknowledgeStale) {
    throw new CommandError(
      "PRECONDITION_FAILED",
      "The runner restarted or its model configuration changed since this session last ran. Confirm to continue it anyway.",
    );
  }
  const link = await linkOf(services, row.runnerId);
  const bridge = await services.live.ensure(link, row.directory);
  await bridge.expect(row.opencodeId);
  const client = createRunnerClient(link.endpoint, { directory: row.directory });
  await onRunner(link.endpoint, "take the prompt", () =>
    client.session.promptAsync({
      sessionID: row.opencodeId,
      agent: input.agent,
      model: input.model,
      parts: [{ type: "text", text: input.text }],
    }),
  );
  if (row.stale) await services.db.session.update({ where: { id: row.id }, data: { stale: false } });
}

/**
 * Stops the running turn. opencode reports an abort only when the model had started answering,
 * so the abort is also recorded here, through the same event path, for the early case.
 */
export async function abortSession(services: Services, sessionId: string): Promise<void> {
  const row = await sessionRow(services, sessionId);
  const link = await linkOf(services, row.runnerId);
  const bridge = await services.live.ensure(link, row.directory);
  await onRunner(link.endpoint, "abort the session", () =>
    createRunnerClient(link.endpoint, { directory: row.directory }).session.abort({ sessionID: row.opencodeId }),
  );
  await bridge.inject({
    type: "session.error",
    properties: { sessionID: row.opencodeId, error: { name: "MessageAbortedError", data: { message: "Aborted" } } },
  });
}

/** Removes the session from its runner; the archive keeps it, marked deleted. */
export async function deleteSession(services: Services, sessionId: string): Promise<void> {
  const row = await sessionRow(services, sessionId);
  const link = await services.runners.link(row.runnerId);
  if (link) {
    const bridge = await services.live.ensure(link, row.directory);
    await bridge.reconcile([row.opencodeId]);
    await bridge.settle();
    // A full sync first: what the runner holds is archived before it is deleted there. A failed
    // sync does not block the delete; the archive keeps what the live path wrote.
    await services.archive.syncSession(row.id, "delete").catch(() => undefined);
    await createRunnerClient(link.endpoint, { directory: row.directory })
      .session.delete({ sessionID: row.opencodeId })
      .catch(() => undefined); // already gone from the runner: the archive is what remains
  }
  const rootId = row.rootId ?? row.id;
  await services.db.session.updateMany({ where: { rootId }, data: { deletedAt: new Date() } });
  services.changes.notify([rootId]);
}

/** Forks a session on its runner at a message (or whole); records the fork relation. */
export async function forkSession(
  services: Services,
  input: { sessionId: string; messageId?: string; startedById?: string },
): Promise<{ id: string }> {
  const row = await sessionRow(services, input.sessionId);
  if (input.messageId) await assertMessage(services, row.id, input.messageId);
  const link = await linkOf(services, row.runnerId);
  const bridge = await services.live.ensure(link, row.directory);
  const client = createRunnerClient(link.endpoint, { directory: row.directory });
  const { data: info } = await onRunner(link.endpoint, "fork the session", () =>
    client.session.fork({ sessionID: row.opencodeId, messageID: input.messageId }, { throwOnError: true }),
  );
  await bridge.reconcile([info.id]);
  await bridge.settle();
  const fork = await services.db.session.update({
    where: { runnerId_opencodeId: { runnerId: row.runnerId, opencodeId: info.id } },
    data: { startedById: input.startedById },
    select: { id: true },
  });
  await recordFork(services.db, row.id, fork.id, input.messageId);
  // The relation and the agent and model it took are not events: dashboards learn of them here.
  services.changes.notify([fork.id]);
  return fork;
}

export async function replyPermission(
  services: Services,
  input: { sessionId: string; requestId: string; reply: "once" | "always" | "reject" },
): Promise<void> {
  const row = await services.db.session.findUnique({ where: { id: input.sessionId } });
  if (!row) throw new CommandError("NOT_FOUND", `No session ${input.sessionId}.`);
  const link = await linkOf(services, row.runnerId);
  await onRunner(link.endpoint, "take the answer", () =>
    createRunnerClient(link.endpoint, { directory: row.directory }).permission.reply({ requestID: input.requestId, reply: input.reply }),
  );
}
