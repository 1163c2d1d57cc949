import { createRunnerClient } from "~/server/runtime/client";
import { CommandError } from "~/server/sessions/command-error";
import { onRunner } from "~/server/sessions/on-runner";
import { removeWorktree } from "./create";
import { runnerDiff } from "./diff";
import { gitOver, identityOptions, withWorktreeIndex, type Git } from "./git";
import type { WorktreeHost } from "./host";
import { runnerShell, type Shell } from "./shell";
import { assertActive, assertNotRunning, runnerHost, mountOf, type FileDiff, type MountRow, type WorktreeDeps } from "./mount";

export type MergeResult = { kind: "fast-forward" | "merge commit"; commit: string; files: number };

/**
 * Merges the session's worktree into the branch it was made from: its changes are committed on
 * its own branch, then merged (fast-forward when the base has not moved, else a merge commit).
 * Conflicts are found before the base checkout is touched (`git merge-tree`), and named; then
 * nothing is merged. The worktree is removed after, its diff kept. git runs on the runner's
 * machine (`runnerShell`), so a remote runner merges the same way.
 */
export async function mergeWorktree(deps: WorktreeDeps, sessionId: string): Promise<MergeResult> {
  const mount = await mountOf(deps, sessionId);
  assertActive(mount);
  assertNotRunning(mount);
  const host = await runnerHost(deps, mount.session.runnerId);
  if (!mount.baseRef) throw new CommandError("PRECONDITION_FAILED", `The worktree was made from commit ${mount.baseCommit.slice(0, 12)}, not a branch: there is no branch to merge into. Download the patch instead.`);
  const files = await runnerDiff(host, mount);
  const shell = runnerShell(host, mount.repository);
  const git = gitOver(shell);
  const filesCommit = await worktreeCommit(shell, mount);
  await assertMergeable(git, mount, filesCommit);
  await git.ok(mount.repository, ["update-ref", `refs/heads/${mount.branch}`, filesCommit]);
  const merged = await git.run(mount.repository, [...(await identityOptions(git, mount.repository)), "merge", "--no-edit", "-m", mergeMessage(mount), mount.branch]);
  if (merged.code !== 0) {
    await git.run(mount.repository, ["merge", "--abort"]);
    throw new CommandError("CONFLICT", `git could not merge ${mount.branch} into ${mount.baseRef}; nothing was merged: ${(merged.stderr || merged.stdout).trim().split("\n")[0]}`);
  }
  const commit = await git.ok(mount.repository, ["rev-parse", "HEAD"]);
  const parents = await git.ok(mount.repository, ["rev-list", "--parents", "-n", "1", commit]);
  await retire(deps, host, mount, "merged", files);
  return { kind: parents.split(" ").length > 2 ? "merge commit" : "fast-forward", commit, files: files.length };
}

/** Removes the session's worktree and its branch; the archive keeps the diff it had. */
export async function discardWorktree(deps: WorktreeDeps, sessionId: string): Promise<void> {
  const mount = await mountOf(deps, sessionId);
  assertActive(mount);
  assertNotRunning(mount);
  const host = await runnerHost(deps, mount.session.runnerId);
  await retire(deps, host, mount, "discarded", await runnerDiff(host, mount));
}

/** The worktree leaves the runner (branch included) and the mount keeps its final diff. */
export async function retire(deps: WorktreeDeps, host: WorktreeHost, mount: MountRow, state: "merged" | "discarded" | "removed", files: FileDiff[]) {
  const client = createRunnerClient(host.endpoint, { directory: mount.repository });
  await onRunner(host.endpoint, "remove the worktree", () => removeWorktree(client, mount.path));
  await deps.db.mount.update({ where: { id: mount.id }, data: { state, finalDiff: files } });
  deps.changes.notify([mount.session.rootId ?? mount.sessionId]);
}

// The worktree's files as a commit on top of its branch, not yet on the branch: a merge found to
// conflict leaves the worktree exactly as it was.
function worktreeCommit(shell: Shell, mount: MountRow): Promise<string> {
  return withWorktreeIndex(shell, mount, async (git, index) => {
    const tree = await git.ok(mount.path, ["write-tree"], index);
    const head = await git.ok(mount.path, ["rev-parse", "HEAD"]);
    if (tree === (await git.ok(mount.path, ["rev-parse", "HEAD^{tree}"]))) return head;
    return git.ok(mount.path, [...(await identityOptions(git, mount.path)), "commit-tree", tree, "-p", head, "-m", commitMessage(mount)]);
  });
}

// The base checkout must be on the base branch and clean: a merge there must not mix with
// someone's unfinished work, and a conflict found there must leave it as it was.
async function assertMergeable(git: Git, mount: MountRow, filesCommit: string): Promise<void> {
  const current = await git.run(mount.repository, ["symbolic-ref", "--quiet", "--short", "HEAD"]);
  if (current.stdout.trim() !== mount.baseRef) {
    throw new CommandError("PRECONDITION_FAILED", `${mount.repository} has ${current.stdout.trim() || "a detached HEAD"} checked out, not ${mount.baseRef}: check out ${mount.baseRef} there to merge into it.`);
  }
  const dirty = await git.ok(mount.repository, ["status", "--porcelain"]);
  if (dirty) throw new CommandError("PRECONDITION_FAILED", `${mount.repository} has uncommitted changes: commit or stash them before merging into it.`);
  const ahead = await git.ok(mount.repository, ["rev-list", "--count", `${mount.baseRef}..${filesCommit}`]);
  if (ahead === "0") throw new CommandError("PRECONDITION_FAILED", `${mount.branch} has no changes that ${mount.baseRef} lacks: nothing to merge.`);
  const probe = await git.run(mount.repository, ["merge-tree", "--write-tree", "--name-only", "--no-messages", mount.baseRef!, filesCommit]);
  if (probe.code === 1) {
    const conflicted = probe.stdout.trim().split("\n").slice(1).filter(Boolean);
    throw new CommandError("CONFLICT", `Merging ${mount.branch} into ${mount.baseRef} conflicts in ${conflicted.join(", ")}; nothing was merged.`);
  }
  if (probe.code !== 0) throw new CommandError("PRECONDITION_FAILED", `git could not test the merge: ${probe.stderr.trim()}`);
}

function commitMessage(mount: MountRow): string {
  return `${mount.session.title || "Flightdeck session"}\n\nChanges of Flightdeck session ${mount.sessionId}.`;
}

function mergeMessage(mount: MountRow): string {
  return `Merge ${mount.branch} (${mount.session.title || `session ${mount.sessionId}`})`;
}
