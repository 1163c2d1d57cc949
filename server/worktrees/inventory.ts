import { createRunnerClient } from "~/server/runtime/client";
import { CommandError } from "~/server/sessions/command-error";
import { onRunner } from "~/server/sessions/on-runner";
import { removeWorktree } from "./create";
import type { WorktreeHost } from "./host";
import { runnerHost, type WorktreeDeps } from "./mount";
import { runnerShell } from "./shell";

/** One worktree a runner holds, and the session using it (none: an orphan). */
export type RunnerWorktree = {
  path: string;
  repository: string;
  session: { id: string; title: string; branch: string } | null;
  /** Bytes on disk (`du` on the runner's machine); null when it could not be measured. */
  diskBytes: number | null;
};

/**
 * The worktrees a runner holds in the repositories its sessions ever made one of (opencode lists
 * them per repository), each with the session using it, or none: an orphan, left by a session
 * made elsewhere or whose removal failed.
 */
export async function listRunnerWorktrees(deps: WorktreeDeps, runnerId: string): Promise<RunnerWorktree[]> {
  const host = await runnerHost(deps, runnerId);
  const mounts = await deps.db.mount.findMany({
    where: { session: { runnerId } },
    select: { repository: true, path: true, branch: true, state: true, session: { select: { id: true, title: true } } },
  });
  const inUse = new Map(mounts.filter((m) => m.state === "active").map((m) => [m.path, m]));
  const repositories = [...new Set(mounts.map((m) => m.repository))];
  const listed = await Promise.all(repositories.map(async (repository) => ({ repository, paths: await worktreesOf(host, repository) })));
  return Promise.all(
    listed.flatMap(({ repository, paths }) =>
      paths.map(async (path) => {
        const mount = inUse.get(path);
        return {
          path,
          repository,
          session: mount ? { id: mount.session.id, title: mount.session.title, branch: mount.branch } : null,
          diskBytes: await diskUse(host, repository, path),
        };
      }),
    ),
  );
}

/** Removes a worktree no session uses (and its branch); one a session uses is refused. */
export async function removeOrphanWorktree(deps: WorktreeDeps, input: { runnerId: string; path: string }): Promise<void> {
  const orphan = (await listRunnerWorktrees(deps, input.runnerId)).find((w) => w.path === input.path);
  if (!orphan) throw new CommandError("NOT_FOUND", `The runner has no worktree at ${input.path} in a repository Flightdeck knows.`);
  if (orphan.session) throw new CommandError("PRECONDITION_FAILED", `Session "${orphan.session.title || orphan.session.id}" uses ${input.path}: discard it from the session's page.`);
  const host = await runnerHost(deps, input.runnerId);
  await onRunner(host.endpoint, "remove the worktree", () => removeWorktree(createRunnerClient(host.endpoint, { directory: orphan.repository }), orphan.path));
}

async function worktreesOf(host: WorktreeHost, repository: string): Promise<string[]> {
  const client = createRunnerClient(host.endpoint, { directory: repository });
  // A repository that is gone from the runner holds no worktrees any more.
  return client.worktree.list(undefined, { throwOnError: true }).then(({ data }) => data, () => []);
}

async function diskUse(host: WorktreeHost, repository: string, path: string): Promise<number | null> {
  const du = await runnerShell(host, repository)(repository, ["du", "-sk", path]).catch(() => undefined);
  return du?.code === 0 ? Number.parseInt(du.stdout, 10) * 1024 : null;
}
