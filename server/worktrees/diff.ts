import { z } from "zod";
import { createRunnerClient } from "~/server/runtime/client";
import { onRunner } from "~/server/sessions/on-runner";
import { gitOver, withWorktreeIndex } from "./git";
import { parseGitDiff } from "./git-diff";
import type { WorktreeHost } from "./host";
import { fileDiffSchema, runnerHost, mountOf, type FileDiff, type MountRow, type WorktreeDeps } from "./mount";
import { runnerShell } from "./shell";

/**
 * The session's changes, file by file: the live worktree's diff against its base while it
 * exists (read from the runner, untracked files included), the kept final diff after.
 */
export async function worktreeDiff(deps: WorktreeDeps, sessionId: string) {
  const mount = await mountOf(deps, sessionId);
  const files = mount.state === "active" ? await runnerDiff(await runnerHost(deps, mount.session.runnerId), mount) : storedDiff(mount);
  const turns = await turnDiffs(deps, sessionId);
  return { state: mount.state, branch: mount.branch, baseRef: mount.baseRef, baseCommit: mount.baseCommit, files, turns };
}

// opencode sums up what each turn changed on its user message (`summary.diffs`, a patch per
// file) when the turn ends; the archive keeps the message, so this outlives the worktree.
const turnSummarySchema = z.object({
  summary: z.object({ diffs: z.array(fileDiffSchema.extend({ status: fileDiffSchema.shape.status.default("modified") })) }),
});

/** What each turn of the session changed, oldest first; turns that changed nothing left out. */
async function turnDiffs(deps: WorktreeDeps, sessionId: string): Promise<{ index: number; files: FileDiff[] }[]> {
  const turns = await deps.db.turn.findMany({
    where: { sessionId, revertedAt: null },
    orderBy: { index: "asc" },
    select: { index: true, messages: { where: { role: "user" }, select: { opencodeId: true, data: true } }, userMessageId: true },
  });
  return turns
    .map((turn) => {
      const prompt = turn.messages.find((m) => m.opencodeId === turn.userMessageId);
      const parsed = turnSummarySchema.safeParse(prompt?.data);
      return { index: turn.index, files: parsed.success ? parsed.data.summary.diffs : [] };
    })
    .filter((turn) => turn.files.length > 0);
}

/** The changes as one patch that `git apply` takes. */
export async function worktreePatch(deps: WorktreeDeps, sessionId: string): Promise<{ fileName: string; patch: string }> {
  const { branch, files } = await worktreeDiff(deps, sessionId);
  return { fileName: `${branch.replace(/[^A-Za-z0-9._-]+/g, "-")}.patch`, patch: asPatch(files) };
}

export function asPatch(files: readonly FileDiff[]): string {
  return files.map((f) => (f.patch.endsWith("\n") ? f.patch : `${f.patch}\n`)).join("");
}

/**
 * The worktree against its base commit, untracked files included. While the branch is still at
 * the base that is the runner's own diff (opencode's "git" mode: the working tree against HEAD).
 * Once the agent committed on it, opencode's diff would miss those commits: git on the runner's
 * machine compares the worktree's files, staged in an index of their own, with the base.
 */
export async function runnerDiff(host: WorktreeHost, mount: Pick<MountRow, "path" | "repository" | "baseCommit">): Promise<FileDiff[]> {
  const shell = runnerShell(host, mount.repository);
  const head = await gitOver(shell).ok(mount.path, ["rev-parse", "HEAD"]);
  if (head !== mount.baseCommit) {
    return withWorktreeIndex(shell, mount, async (git, index) =>
      parseGitDiff(await git.ok(mount.path, ["-c", "core.quotePath=false", "diff", "--cached", "--no-color", "--no-ext-diff", mount.baseCommit], index)),
    );
  }
  const client = createRunnerClient(host.endpoint, { directory: mount.path });
  const { data } = await onRunner(host.endpoint, "read the worktree's diff", () => client.vcs.diff({ mode: "git" }, { throwOnError: true }));
  return data.map((f) => ({ file: f.file, patch: f.patch ?? "", additions: f.additions, deletions: f.deletions, status: f.status ?? "modified" }));
}

function storedDiff(mount: MountRow): FileDiff[] {
  return fileDiffSchema.array().catch([]).parse(mount.finalDiff ?? []);
}
