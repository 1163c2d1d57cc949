import type { PrismaClient } from "~/server/generated/prisma/client";
import type { RunnerRegistry } from "~/server/runners/registry";
import { archiveStatus, loadArchivedTree, type ArchivedTree } from "./read";
import { loadArchivedPage, type ArchivedPage, type PageAddress } from "./page";
import { runnerHasSession } from "./runner-source";
import type { TreeStats } from "./stats";

// Which view a session page shows. The live view needs the runner to still have the session;
// otherwise (deleted, runner not serving, session gone from the runner, or asked for) the page
// renders the archive with server components.

/** What choosing the view needs of the app (its services, server/services.ts). */
export type ViewDeps = { db: PrismaClient; runners: Pick<RunnerRegistry, "link"> };

export type ArchiveReason = "deleted" | "runner-unavailable" | "gone-from-runner" | "requested";

export type SessionView =
  | { mode: "live"; state: ArchiveStateSummary }
  | {
      mode: "archive";
      reason: ArchiveReason;
      state: ArchiveStateSummary;
      tree: ArchivedTree;
      stats: TreeStats;
      /** A fork's source tree, whose sub-agents the fork's copied task calls lead to (null: no fork, or purged). */
      source: ArchivedTree | null;
      /** Which page of the session `tree` holds (the rest of the content is not loaded). */
      paging: Omit<ArchivedPage, "tree" | "stats">;
    };

export type ArchiveStateSummary = {
  rootId: string;
  state: string;
  error: string | null;
  lastArchivedAt: Date | null;
  version: number;
};

export async function sessionView(deps: ViewDeps, rawId: string, options: { archive?: boolean; at?: PageAddress } = {}): Promise<SessionView> {
  const { session, root } = await archiveStatus(deps.db, rawId);
  const state = { rootId: root.id, state: root.archiveState, error: root.archiveError, lastArchivedAt: root.lastArchivedAt, version: root.archiveVersion };
  const reason = options.archive ? "requested" : await archiveReason(deps, session);
  if (!reason) return { mode: "live", state };
  const { tree, stats, ...paging } = await loadArchivedPage(deps.db, session.id, options.at);
  const source = tree.forkedFrom ? await loadArchivedTree(deps.db, tree.forkedFrom.sessionId).catch(() => null) : null;
  return { mode: "archive", reason, state, tree, stats, source, paging };
}

async function archiveReason(
  deps: ViewDeps,
  session: { deletedAt: Date | null; runnerId: string; directory: string; opencodeId: string },
): Promise<ArchiveReason | undefined> {
  if (session.deletedAt) return "deleted";
  const link = await deps.runners.link(session.runnerId);
  if (!link) return "runner-unavailable";
  const present = await runnerHasSession(link.endpoint, session.directory, session.opencodeId);
  // Unreachable for another reason: not proof it is gone; the live view says the runner is down.
  if (present === false) return "gone-from-runner";
  return undefined;
}
