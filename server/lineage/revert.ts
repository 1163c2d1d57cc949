import { setTimeout as sleep } from "node:timers/promises";
import type { Services } from "~/server/services";
import { createRunnerClient, type RunnerEndpoint } from "~/server/runtime/client";
import { CommandError } from "~/server/sessions/command-error";
import { abortSession, linkOf, sessionRow, type SessionDeps } from "~/server/sessions/commands";
import { onRunner } from "~/server/sessions/on-runner";
import { treeStream } from "~/server/sessions/tree-stream";
import { shortMessage } from "~/server/store/short-message";
import { retryOnWriteConflict } from "~/server/store/write-conflict";
import { spawnedBy, turnsFrom, type AffectedSession } from "./plan";

/** What a revert needs of the app: a session command's, and the hub it tells to resync its viewers. */
type RevertDeps = SessionDeps & Pick<Services, "hub">;

export type StepAction = "abort" | "revert" | "unrevert";
export type Step = { sessionId: string; title: string; action: StepAction; ok: boolean; error?: string };
/** What happened to each session of the tree, in order; a failed step says why. */
export type TreeReport = { steps: Step[] };

type Target = Pick<AffectedSession, "id" | "opencodeId" | "title" | "directory">;

const IDLE_TIMEOUT_MS = 20_000;

async function step(steps: Step[], session: Target, action: StepAction, run: () => Promise<unknown>): Promise<boolean> {
  try {
    await run();
    steps.push({ sessionId: session.id, title: session.title, action, ok: true });
    return true;
  } catch (error) {
    steps.push({ sessionId: session.id, title: session.title, action, ok: false, error: shortMessage(error) });
    return false;
  }
}

/** Sessions of the tree the runner is working on (retrying counts as working). */
async function busyOf(endpoint: RunnerEndpoint, directory: string, tree: Target[]): Promise<Target[]> {
  const { data } = await onRunner(endpoint, "say which sessions are busy", () =>
    createRunnerClient(endpoint, { directory }).session.status(undefined, { throwOnError: true }),
  );
  return tree.filter((s) => data[s.opencodeId] && data[s.opencodeId]!.type !== "idle");
}

// opencode refuses to revert a busy session; an abort takes effect asynchronously.
async function abortBusy(deps: RevertDeps, endpoint: RunnerEndpoint, directory: string, tree: Target[], steps: Step[]) {
  const busy = await busyOf(endpoint, directory, tree);
  if (busy.length === 0) return;
  for (const session of busy) await step(steps, session, "abort", () => abortSession(deps, session.id));
  const deadline = Date.now() + IDLE_TIMEOUT_MS;
  while ((await busyOf(endpoint, directory, tree)).length > 0 && Date.now() < deadline) await sleep(200);
}

/** Dashboards re-read the tree; live viewers get a snapshot without (or again with) the sub-agents. */
async function announce(deps: RevertDeps, row: { id: string; rootId: string | null }) {
  deps.changes.notify([row.rootId ?? row.id]);
  const key = await treeStream(deps, row.id);
  if (key) deps.hub.resync(key);
}

/**
 * The order reverts run in: sub-agents deepest first (a child's changes are undone before its
 * parent's), then the session. Unrevert runs it backwards, since each unrevert restores the
 * workspace as it was when that session was reverted.
 */
function revertOrder(subagents: AffectedSession[]): AffectedSession[] {
  return [...subagents].reverse().sort((a, b) => b.depth - a.depth);
}

/**
 * Reverts the session to a message on its runner together with every sub-agent the reverted
 * turns spawned (any depth), aborting the tree first if it runs. Markers are set only for the
 * sessions whose revert succeeded.
 */
export async function revertTree(deps: RevertDeps, input: { sessionId: string; messageId: string; by?: string }): Promise<TreeReport> {
  const { db } = deps;
  const row = await sessionRow(deps, input.sessionId);
  const turns = await turnsFrom(db, row.id, input.messageId);
  const subagents = await spawnedBy(db, turns.map((t) => t.id));
  const { endpoint } = await linkOf(deps, row.runnerId);
  const steps: Step[] = [];
  await abortBusy(deps, endpoint, row.directory, [row, ...subagents], steps);

  const reverted: string[] = [];
  for (const child of revertOrder(subagents)) {
    const first = await db.turn.findFirst({ where: { sessionId: child.id }, orderBy: { index: "asc" }, select: { userMessageId: true } });
    const ok = await step(steps, child, "revert", async () => {
      // A sub-agent that never got its prompt has nothing to undo.
      if (!first) return;
      await createRunnerClient(endpoint, { directory: child.directory }).session.revert(
        { sessionID: child.opencodeId, messageID: first.userMessageId },
        { throwOnError: true },
      );
    });
    if (ok) reverted.push(child.id);
  }
  const sessionOk = await step(steps, row, "revert", () =>
    createRunnerClient(endpoint, { directory: row.directory }).session.revert(
      { sessionID: row.opencodeId, messageID: input.messageId },
      { throwOnError: true },
    ),
  );

  const now = new Date();
  await retryOnWriteConflict(() =>
    db.$transaction([
      db.turn.updateMany({ where: { id: { in: sessionOk ? turns.map((t) => t.id) : [] } }, data: { revertedAt: now } }),
      db.session.updateMany({ where: { id: { in: reverted } }, data: { revertedAt: now, revertedById: input.by ?? null } }),
    ]),
  );
  await announce(deps, row);
  return { steps };
}

/** Undoes the session's pending revert on the runner and that of the sub-agents reverted with it. */
export async function unrevertTree(deps: RevertDeps, input: { sessionId: string }): Promise<TreeReport> {
  const { db } = deps;
  const row = await sessionRow(deps, input.sessionId);
  const { endpoint } = await linkOf(deps, row.runnerId);
  const runner = createRunnerClient(endpoint, { directory: row.directory });
  // The runner's own state: the bridge may not have stored the revert yet.
  const { data: info } = await onRunner(endpoint, "read the session", () => runner.session.get({ sessionID: row.opencodeId }, { throwOnError: true }));
  if (!info.revert) {
    throw new CommandError("PRECONDITION_FAILED", "This session has no revert to undo (a prompt after a revert makes it permanent).");
  }
  const turns = await turnsFrom(db, row.id, info.revert.messageID);
  const subagents = revertOrder(await spawnedBy(db, turns.map((t) => t.id)))
    .reverse()
    .filter((s) => s.revertedAt);
  const steps: Step[] = [];

  const sessionOk = await step(steps, row, "unrevert", () =>
    runner.session.unrevert({ sessionID: row.opencodeId }, { throwOnError: true }),
  );
  const restored: string[] = [];
  for (const child of subagents) {
    const ok = await step(steps, child, "unrevert", () =>
      createRunnerClient(endpoint, { directory: child.directory }).session.unrevert({ sessionID: child.opencodeId }, { throwOnError: true }),
    );
    if (ok) restored.push(child.id);
  }

  await retryOnWriteConflict(() =>
    db.$transaction([
      db.turn.updateMany({ where: { id: { in: sessionOk ? turns.map((t) => t.id) : [] } }, data: { revertedAt: null } }),
      db.session.updateMany({ where: { id: { in: restored } }, data: { revertedAt: null, revertedById: null } }),
    ]),
  );
  await announce(deps, row);
  return { steps };
}
