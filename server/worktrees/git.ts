import { execFile } from "node:child_process";

/** What git printed, and its exit code (0 on success). */
export type GitResult = { code: number; stdout: string; stderr: string };

/**
 * Runs git in `cwd` on the app's own machine (the embedded runner's file system). Used only for
 * what opencode's API cannot do: resolving a base ref, committing and merging.
 */
export function git(cwd: string, args: string[], env: Record<string, string> = {}): Promise<GitResult> {
  return new Promise((resolve) => {
    execFile("git", args, { cwd, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, GIT_TERMINAL_PROMPT: "0", ...env } }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
      resolve({ code, stdout, stderr: stderr || (error && typeof error.code !== "number" ? error.message : "") });
    });
  });
}

/** git's stdout, trimmed; throws with git's own words when it fails. */
export async function gitOk(cwd: string, args: string[], env: Record<string, string> = {}): Promise<string> {
  const result = await git(cwd, args, env);
  if (result.code !== 0) throw new Error(`git ${args[0]}: ${(result.stderr || result.stdout).trim()}`);
  return result.stdout.trim();
}

/**
 * `-c` options giving commits an author when the repository has none configured (a runner's
 * machine often has none); empty when git already knows who commits.
 */
export async function identityOptions(cwd: string): Promise<string[]> {
  const configured = await git(cwd, ["config", "user.email"]);
  return configured.code === 0 && configured.stdout.trim() ? [] : ["-c", "user.name=Flightdeck", "-c", "user.email=flightdeck@localhost"];
}
