import { randomBytes } from "node:crypto";
import type { Shell, ShellResult } from "./shell";

/** What git printed, and its exit code (0 on success). */
export type GitResult = ShellResult;

/** git on the runner's machine (see `runnerShell`), never asking for a password. */
export type Git = {
  run(cwd: string, args: string[], env?: Record<string, string>): Promise<GitResult>;
  /** git's stdout, trimmed; throws with git's own words when it fails. */
  ok(cwd: string, args: string[], env?: Record<string, string>): Promise<string>;
};

export function gitOver(shell: Shell): Git {
  const run = (cwd: string, args: string[], env: Record<string, string> = {}) => shell(cwd, ["git", ...args], { GIT_TERMINAL_PROMPT: "0", ...env });
  return {
    run,
    async ok(cwd, args, env) {
      const result = await run(cwd, args, env);
      if (result.code !== 0) throw new Error(`git ${args[0]}: ${(result.stderr || result.stdout).trim()}`);
      return result.stdout.trim();
    },
  };
}

/**
 * `-c` options giving commits an author when the repository has none configured (a runner's
 * machine often has none); empty when git already knows who commits.
 */
export async function identityOptions(git: Git, cwd: string): Promise<string[]> {
  const configured = await git.run(cwd, ["config", "user.email"]);
  return configured.code === 0 && configured.stdout.trim() ? [] : ["-c", "user.name=Flightdeck", "-c", "user.email=flightdeck@localhost"];
}

/**
 * The worktree's files, untracked ones included, staged in an index of their own (in the
 * repository's git directory, on the runner's machine): the worktree and its own index stay
 * exactly as they are.
 */
export async function withWorktreeIndex<T>(
  shell: Shell,
  mount: { repository: string; path: string },
  use: (git: Git, index: Record<string, string>) => Promise<T>,
): Promise<T> {
  const git = gitOver(shell);
  const index = { GIT_INDEX_FILE: `${mount.repository}/.git/flightdeck-index-${randomBytes(6).toString("hex")}` };
  try {
    await git.ok(mount.path, ["read-tree", "HEAD"], index);
    await git.ok(mount.path, ["add", "--all"], index);
    return await use(git, index);
  } finally {
    await shell(mount.repository, ["rm", "-f", index.GIT_INDEX_FILE]);
  }
}
