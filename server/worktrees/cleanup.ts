import { retire } from "./actions";
import { runnerDiff } from "./diff";
import { runnerHost, mountInclude, type WorktreeDeps } from "./mount";

/**
 * Retention's part: the worktrees of deleted and purged sessions leave their runners (branch
 * included). A deleted session's archive keeps the diff; a purged one keeps nothing. A runner
 * that is not serving keeps its worktrees until a later run finds it up.
 */
export async function removeAbandonedWorktrees(deps: WorktreeDeps): Promise<number> {
  const mounts = await deps.db.mount.findMany({ where: { state: "active", session: { deletedAt: { not: null } } }, include: mountInclude });
  let removed = 0;
  for (const mount of mounts) {
    const host = await runnerHost(deps, mount.session.runnerId).catch(() => undefined);
    if (!host) continue;
    const files = mount.session.purgedAt ? [] : await runnerDiff(host, mount).catch(() => []);
    await retire(deps, host, mount, "removed", files).then(() => removed++, () => undefined);
  }
  return removed;
}
