import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";

// Shared by the worktree tests only.

const run = (cwd: string, ...args: string[]) => execFileSync("git", args, { cwd, encoding: "utf8" }).trim();

/** A fresh repository under `parent` with one commit holding `shared.txt` ("original"). */
export function scratchRepository(parent: string): { directory: string; git: (...args: string[]) => string } {
  const directory = path.join(parent, `repo-${randomBytes(4).toString("hex")}`);
  fs.mkdirSync(directory, { recursive: true });
  const git = (...args: string[]) => run(directory, ...args);
  git("init", "--quiet", "--initial-branch=main");
  git("config", "user.email", "test@flightdeck.local");
  git("config", "user.name", "Test");
  fs.writeFileSync(path.join(directory, "shared.txt"), "original\n");
  git("add", ".");
  git("commit", "--quiet", "-m", "first");
  return { directory, git };
}
