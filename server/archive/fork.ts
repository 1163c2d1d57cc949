import type { Bridges } from "~/server/bridge/handle";
import type { RunnerLink } from "~/server/bridge/manager";
import type { PrismaClient } from "~/server/generated/prisma/client";
import type { ChangeSink } from "~/server/hub/change-feed";
import type { RunnerRegistry } from "~/server/runners/registry";
import { createRunnerClient } from "~/server/runtime/client";
import { recordFork } from "~/server/store/fork-relation";
import { ArchiveError } from "./errors";
import { transcriptOf } from "./export";
import { archiveStatus, loadArchivedTree } from "./read";
import { runnerHasSession } from "./runner-source";

// Fork from the archive: a new live session continuing an archived one. On the original runner
// when it still has the session (opencode's own fork keeps the real history); otherwise a new
// session on any serving runner, seeded with the transcript as context (a user message sent
// with noReply, so no model call is made). Either way the new session records a `fork`
// SessionRelation to its source and the turn and message it was forked at (recordFork).

export type ForkInput = {
  sessionId: string;
  /** Keep turns 1..throughTurn (default: every turn). */
  throughTurn?: number;
};

/** What a fork needs of the app (its services, server/services.ts). */
export type ForkDeps = {
  db: PrismaClient;
  runners: Pick<RunnerRegistry, "link" | "embeddedRunnerId">;
  /** Opens the bridge the new session's events come through. */
  live: Pick<Bridges, "ensure">;
  changes: ChangeSink;
  /** Where the embedded runner's sessions run, for a fork seeded there. */
  embedded?: { supervisor: { directory: string } };
};

export type ForkOutcome = { id: string; opencodeId: string; runnerId: string; mode: "runner-fork" | "transcript" };

const SEED_PREAMBLE =
  "This session continues an archived Flightdeck session whose original runtime no longer has it. " +
  "Its transcript follows as context; do not act on it until asked.\n\n";

export async function forkFromArchive(deps: ForkDeps, input: ForkInput): Promise<ForkOutcome> {
  const { session, root } = await archiveStatus(deps.db, input.sessionId);
  if (root.archiveState === "syncing") {
    throw new ArchiveError("syncing", "The archive of this session is being synced right now; try the fork again in a few seconds.", 2);
  }
  const turns = await deps.db.turn.findMany({
    where: { sessionId: session.id },
    orderBy: { index: "asc" },
    select: { index: true, userMessageId: true },
  });
  const through = input.throughTurn ?? turns.at(-1)?.index;
  if (input.throughTurn !== undefined && !turns.some((t) => t.index === input.throughTurn)) {
    throw new ArchiveError("invalid", `Session ${session.id} has no turn ${input.throughTurn} (it has ${turns.length}).`);
  }
  // opencode forks the messages BEFORE the one named: name the first prompt after the kept turns.
  const nextPrompt = turns.find((t) => through !== undefined && t.index === through + 1)?.userMessageId;

  // A session whose worktree is gone (merged, discarded) has no directory left to run in: its fork
  // starts from the transcript, in the repository the worktree was made from.
  const mount = await deps.db.mount.findUnique({ where: { sessionId: session.id }, select: { state: true, repository: true } });
  const repository = mount && mount.state !== "active" ? mount.repository : undefined;
  const link = session.deletedAt || repository ? undefined : await deps.runners.link(session.runnerId);
  const onRunner = link ? (await runnerHasSession(link.endpoint, session.directory, session.opencodeId)) === true : false;
  const created = link && onRunner
    ? await forkOnRunner(deps, link, session.directory, session.opencodeId, nextPrompt)
    : await seedElsewhere(deps, repository ? { ...session, directory: repository } : session, through);

  // A transcript holds the same turns as a runner fork would.
  await recordFork(deps.db, session.id, created.id, nextPrompt);
  deps.changes.notify([created.id]);
  return created;
}

/** The new session's archive row, once the live path stored it. */
async function adopt(deps: ForkDeps, link: RunnerLink, directory: string, opencodeId: string) {
  const bridge = await deps.live.ensure(link, directory);
  await bridge.reconcile([opencodeId]);
  await bridge.settle();
  return deps.db.session.findUniqueOrThrow({
    where: { runnerId_opencodeId: { runnerId: link.runnerId, opencodeId } },
    select: { id: true, opencodeId: true, runnerId: true },
  });
}

async function forkOnRunner(
  deps: ForkDeps,
  link: RunnerLink,
  directory: string,
  opencodeId: string,
  beforeMessageId: string | undefined,
): Promise<ForkOutcome> {
  await deps.live.ensure(link, directory);
  const client = createRunnerClient(link.endpoint, { directory });
  const { data: info } = await client.session.fork({ sessionID: opencodeId, messageID: beforeMessageId }, { throwOnError: true });
  return { ...(await adopt(deps, link, directory, info.id)), mode: "runner-fork" };
}

/** A serving runner for a fork: the original one if it serves, else the embedded one, else any. */
async function servingRunner(deps: ForkDeps, preferred: string): Promise<{ link: RunnerLink; directory?: string }> {
  const candidates = [preferred, deps.runners.embeddedRunnerId].filter((id): id is string => Boolean(id));
  const others = await deps.db.runner.findMany({ where: { status: "healthy" }, select: { id: true }, orderBy: { createdAt: "asc" } });
  for (const id of [...candidates, ...others.map((r) => r.id)]) {
    const link = await deps.runners.link(id);
    if (!link) continue;
    const directory = id === deps.runners.embeddedRunnerId ? deps.embedded?.supervisor.directory : undefined;
    return { link, directory };
  }
  throw new ArchiveError("runner_unavailable", "No runner is serving: a fork needs one to run on.");
}

async function seedElsewhere(
  deps: ForkDeps,
  session: { id: string; runnerId: string; directory: string },
  through: number | undefined,
): Promise<ForkOutcome> {
  const tree = await loadArchivedTree(deps.db, session.id);
  const source = tree.sessions[session.id] ?? tree.root;
  const { link, directory: defaultDirectory } = await servingRunner(deps, session.runnerId);
  const directory = link.runnerId === session.runnerId ? session.directory : (defaultDirectory ?? session.directory);
  await deps.live.ensure(link, directory);
  const client = createRunnerClient(link.endpoint, { directory });
  const title = `Fork of ${source.title || "an archived session"}`.slice(0, 200);
  const { data: info } = await client.session.create({ title }, { throwOnError: true });
  const transcript = transcriptOf({ ...tree, root: source }, through);
  await client.session.prompt(
    { sessionID: info.id, noReply: true, parts: [{ type: "text", text: `${SEED_PREAMBLE}${transcript || "(The archived session has no messages.)"}` }] },
    { throwOnError: true },
  );
  return { ...(await adopt(deps, link, directory, info.id)), mode: "transcript" };
}
