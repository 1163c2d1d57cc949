import { loadArchivedPage, type ArchivedPage, type PageAddress } from "~/server/archive/page";
import type { ArchivedTree } from "~/server/archive/read";
import type { TreeStats } from "~/server/archive/stats";
import { storedTreeStats } from "~/server/archive/stored-stats";
import type { PrismaClient } from "~/server/generated/prisma/client";
import { log as rootLog } from "~/server/log";
import type { SharedFindings } from "./findings-cache";
import type { Include } from "./links";
import { projectTree } from "./project";
import type { Redactor } from "./redact";
import { holdBackStreaming, redactWith, refuseUnsafe, stringsToRedact } from "./shared-tree";
import { treeFindings } from "./tree-scan";

// The one way a link's page gets its content: a page of the archived tree (which the live
// bridge keeps current while the tree runs), as the team's archived view pages it, projected to
// what the link includes, redacted, then scanned once more before anyone sends it.

const log = rootLog.child({ domain: "share" });

type Deps = { db: PrismaClient; shareFindings: SharedFindings };
type Link = { id: string; sessionId: string; include: Include };

export type SharedPage = {
  /** Content only for the page's parts and the sub-agents it shows in place (server/archive/page.ts). */
  tree: ArchivedTree;
  stats: TreeStats;
  running: boolean;
  paging: Omit<ArchivedPage, "tree" | "stats">;
};

/**
 * One page of a session of the link's tree (the root, or a sub-agent it includes), as the
 * archived view pages it: projected, redacted with what secretlint finds anywhere in the tree
 * (kept while the tree does not change: findings-cache.ts) and on the page itself, then scanned.
 */
export async function loadSharedPage(
  deps: Deps,
  link: Link,
  redactor: Redactor,
  page: { sessionId: string; at?: PageAddress },
): Promise<SharedPage> {
  const { db } = deps;
  const kept = treeFindings(deps, link, redactor);
  // A page whose read failed leaves no findings promise unhandled.
  kept.catch(() => undefined);
  const { tree: read, stats, ...paging } = await loadArchivedPage(db, page.sessionId, page.at);
  const tree = projectTree(read, link.include);
  const running = Object.values(tree.sessions).some((s) => s.turns.some((t) => t.status === "running"));
  const held = running ? holdBackStreaming(tree) : tree;
  const [inTree, onPage] = await Promise.all([
    kept,
    // Anything stored after the tree's version was read is on the page, if it is shown at all.
    redactor.findIn([stringsToRedact(held)]),
  ]);
  const redacted = redactWith(redactor.using(inTree, onPage), held);
  await refuseUnsafe(redactor, JSON.stringify(redacted));
  return { tree: redacted, stats: link.include.subAgents ? stats : await rootStats(db, redacted), running, paging };
}

/** `treeFindings` for a new link, in the background: a failure only means its first reader reads the tree. */
export function warmSharedPage(deps: Deps, link: Link, redactor: Redactor): void {
  treeFindings(deps, link, redactor).catch((error: unknown) => log.warn(`Could not read shared tree ${link.sessionId} ahead of its readers: ${error instanceof Error ? error.message : error}`));
}

/** The totals of the root alone, for a link without sub-agents. */
function rootStats(db: PrismaClient, tree: ArchivedTree): Promise<TreeStats> {
  const turns = tree.root.turns.map((turn) => ({ ...turn, sessionId: tree.root.id }));
  return storedTreeStats(db, tree.root.id, { sessions: [tree.root], turns });
}
