import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

/**
 * opencode snapshots file changes (what a revert restores) only inside a git work tree; no commit
 * is needed. Without git installed opencode still runs, and a revert then leaves files as they are.
 */
export function ensureGitWorkTree(directory: string): void {
  if (fs.existsSync(path.join(directory, ".git"))) return;
  try {
    execFileSync("git", ["init", "--quiet"], { cwd: directory, stdio: "ignore" });
  } catch {
    // no git: see above
  }
}
