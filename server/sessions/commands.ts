import type { Services } from "~/server/services";
import { createRunnerClient } from "~/server/runtime/client";
import type { RunnerLink } from "~/server/bridge/manager";
import { recordFork } from "~/server/store/fork-relation";
import { makeWorktree, removeWorktree, type WorktreeOptions } from "~/server/worktrees/create";
import { CommandError } from "./command-error";
import { isImportedRunner } from "~/server/archive/imported-runner";
import { localSessionDirectory, remoteSessionDirectory } from "./directory";
import { onRunner } from "./on-runner";

/** What session commands need of the app (its services, server/services.ts). */
export type SessionDeps = Pick<Services, "db" | "runners" | "live" | "changes" | "archive" | "workspaceRoots">;

export type ModelRef = { providerID: string; modelID: string };

export async function linkOf(deps: SessionDeps, runnerId: string): Promise<RunnerLink> {
  const link = await deps.runners.link(runnerId);
  if (link) return link;
  const runner = await deps.db.runner.findUnique({ where: { id: runnerId }, select: { kind: true, status: true } });
  if (runner && isImportedRunner(runner)) {
    throw new CommandError("PRECONDITION_FAILED", "This session was imported from an opencode database, and no runner serves it: fork it to go on.");
  }
  throw new CommandError("PRECONDITION_FAILED", "The runner of this session is not serving right now.");
}

export async function sessionRow(deps: SessionDeps, sessionId: string) {
  const row = await deps.db.session.findUnique({ where: { id: sessionId } });
  if (!row || row.purgedAt) throw new CommandError("NOT_FOUND", `No session ${sessionId}.`);
  if (row.deletedAt) throw new CommandError("PRECONDITION_FAILED", "This session was deleted; its archive is read-only.");
  // Viewers see events before the archive stores them: a command acts on what its caller saw
  // (a request, a message, a sub-agent), so it waits for that to be stored.
  await deps.live.stored(row.runnerId);
  return row;
}

// The runner answers an unknown message id with a 500 of its own: say what was wrong instead.
async function assertMessage(deps: SessionDeps, sessionRowId: string, messageId: string): Promise<void> {
  const message = await deps.db.message.findUnique({
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
export async function createSession(deps: SessionDeps, input: CreateSessionInput): Promise<{ id: string; opencodeId: string }> {
  const link = await linkOf(deps, input.runnerId);
  const local = link.runnerId === deps.runners.embeddedRunnerId;
  // Checked before any bridge exists: a directory the runner cannot follow would leave one behind.
  const directory = local
    ? await localSessionDirectory(input.directory, deps.workspaceRoots)
    : await remoteSessionDirectory(link.endpoint, input.directory);
  const mount = (await wantsWorktree(deps, input))
    ? await makeWorktree({ endpoint: link.endpoint, local }, { repository: directory, base: input.base, name: input.worktreeName })
    : undefined;
  try {
    const row = await createOnRunner(deps, link, mount?.path ?? directory, input);
    if (mount) await deps.db.mount.create({ data: { sessionId: row.id, ...mount } });
    return row;
  } catch (error) {
    if (mount) await removeWorktree(createRunnerClient(link.endpoint, { directory }), mount.path).catch(() => undefined);
    throw error;
  }
}

async function wantsWorktree(deps: SessionDeps, input: CreateSessionInput): Promise<boolean> {
  const runner = await deps.db.runner.findUniqueOrThrow({ where: { id: input.runnerId }, select: { worktreeByDefault: true } });
  const wanted = input.worktree ?? runner.worktreeByDefault;
  if (!wanted && (input.base !== undefined || input.worktreeName !== undefined)) {
    throw new CommandError("BAD_REQUEST", "A base or worktree name applies only to a session with a worktree of its own (worktree: true).");
  }
  return wanted;
}

async function createOnRunner(deps: SessionDeps, link: RunnerLink, directory: string, input: CreateSessionInput) {
  const bridge = await deps.live.ensure(link, directory);
  const client = createRunnerClient(link.endpoint, { directory });
  const { data: info } = await onRunner(link.endpoint, "create the session", () => client.session.create({ title: input.title }, { throwOnError: true }));
  await bridge.reconcile([info.id]);
  await bridge.settle();
  return deps.db.session.update({
    where: { runnerId_opencodeId: { runnerId: input.runnerId, opencodeId: info.id } },
    data: { startedById: input.startedById },
    select: { id: true, opencodeId: true },
  });
}

/** Sends a prompt; the run continues on the runner whether or not anyone watches. */
export async function promptSession(
  deps: SessionDeps,
  input: { sessionId: string; text: string; agent?: string; model?: ModelRef; acknowledgeStale?: boolean },
): Promise<void> {
  const row = await sessionRow(deps, input.sessionId);
  if (row.stale && !input.acknowledgeStale) {
    throw new CommandError(
      "PRECONDITION_FAILED",
      "The runner restarted or its model configuration changed since this session last ran. Confirm to continue it anyway.",
    );
  }
  const link = await linkOf(deps, row.runnerId);
  const bridge = await deps.live.ensure(link, row.directory);
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
  if (row.stale) await deps.db.session.update({ where: { id: row.id }, data: { stale: false } });
}

/**
 * Stops the running turn. opencode reports an abort only when the model had started answering,
 * so the abort is also recorded here, through the same event path, for the early case.
 */
export async function abortSession(deps: SessionDeps, sessionId: string): Promise<void> {
  const row = await sessionRow(deps, sessionId);
  const link = await linkOf(deps, row.runnerId);
  const bridge = await deps.live.ensure(link, row.directory);
  await onRunner(link.endpoint, "abort the session", () =>
    createRunnerClient(link.endpoint, { directory: row.directory }).session.abort({ sessionID: row.opencodeId }),
  );
  await bridge.inject({
    type: "session.error",
    properties: { sessionID: row.opencodeId, error: { name: "MessageAbortedError", data: { message: "Aborted" } } },
  });
}

/** Removes the session from its runner; the archive keeps it, marked deleted. */
export async function deleteSession(deps: SessionDeps, sessionId: string): Promise<void> {
  const row = await sessionRow(deps, sessionId);
  const link = await deps.runners.link(row.runnerId);
  if (link) {
    const bridge = await deps.live.ensure(link, row.directory);
    await bridge.reconcile([row.opencodeId]);
    await bridge.settle();
    // A full sync first: what the runner holds is archived before it is deleted there. A failed
    // sync does not block the delete; the archive keeps what the live path wrote.
    await deps.archive.syncSession(row.id, "delete").catch(() => undefined);
    await createRunnerClient(link.endpoint, { directory: row.directory })
      .session.delete({ sessionID: row.opencodeId })
      .catch(() => undefined); // already gone from the runner: the archive is what remains
  }
  const rootId = row.rootId ?? row.id;
  await deps.db.session.updateMany({ where: { rootId }, data: { deletedAt: new Date() } });
  deps.changes.notify([rootId]);
}

/** Forks a session on its runner at a message (or whole); records the fork relation. */
export async function forkSession(
  deps: SessionDeps,
  input: { sessionId: string; messageId?: string; startedById?: string },
): Promise<{ id: string }> {
  const row = await sessionRow(deps, input.sessionId);
  if (input.messageId) await assertMessage(deps, row.id, input.messageId);
  const mount = await deps.db.mount.findUnique({ where: { sessionId: row.id }, select: { state: true } });
  if (mount && mount.state !== "active") {
    throw new CommandError("PRECONDITION_FAILED", `This session's worktree was ${mount.state}: fork it from the archive, which starts in the repository.`);
  }
  const link = await linkOf(deps, row.runnerId);
  const bridge = await deps.live.ensure(link, row.directory);
  const client = createRunnerClient(link.endpoint, { directory: row.directory });
  const { data: info } = await onRunner(link.endpoint, "fork the session", () =>
    client.session.fork({ sessionID: row.opencodeId, messageID: input.messageId }, { throwOnError: true }),
  );
  await bridge.reconcile([info.id]);
  await bridge.settle();
  const fork = await deps.db.session.update({
    where: { runnerId_opencodeId: { runnerId: row.runnerId, opencodeId: info.id } },
    data: { startedById: input.startedById },
    select: { id: true },
  });
  await recordFork(deps.db, row.id, fork.id, input.messageId);
  // The relation and the agent and model it took are not events: dashboards learn of them here.
  deps.changes.notify([fork.id]);
  return fork;
}

export async function replyPermission(
  deps: SessionDeps,
  input: { sessionId: string; requestId: string; reply: "once" | "always" | "reject" },
): Promise<void> {
  const row = await deps.db.session.findUnique({ where: { id: input.sessionId } });
  if (!row) throw new CommandError("NOT_FOUND", `No session ${input.sessionId}.`);
  const link = await linkOf(deps, row.runnerId);
  await onRunner(link.endpoint, "take the answer", () =>
    createRunnerClient(link.endpoint, { directory: row.directory }).permission.reply({ requestID: input.requestId, reply: input.reply }),
  );
}
