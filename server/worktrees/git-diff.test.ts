import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, it } from "vitest";
import { parseGitDiff } from "./git-diff";

it("splits git's diff into files with their status and counts, and the parts apply again as one patch", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "flightdeck-diff-"));
  const git = (...args: string[]) => execFileSync("git", ["-c", "user.name=T", "-c", "user.email=t@t", ...args], { cwd: dir, encoding: "utf8" });
  git("init", "--quiet", "--initial-branch=main");
  fs.writeFileSync(path.join(dir, "kept.txt"), "one\n-- two\nthree\n");
  fs.writeFileSync(path.join(dir, "gone.txt"), "bye\n");
  git("add", ".");
  git("commit", "--quiet", "-m", "base");
  const base = git("rev-parse", "HEAD").trim();
  fs.writeFileSync(path.join(dir, "kept.txt"), "one\n++ two\nthree\nfour\n");
  fs.rmSync(path.join(dir, "gone.txt"));
  fs.mkdirSync(path.join(dir, "src"));
  fs.writeFileSync(path.join(dir, "src", "new.ts"), "export {};\n");
  git("add", "--all");
  const text = git("diff", "--cached", "--no-color", base);

  const files = parseGitDiff(text);
  expect(files.map(({ patch: _, ...f }) => f)).toEqual([
    { file: "gone.txt", status: "deleted", additions: 0, deletions: 1 },
    { file: "kept.txt", status: "modified", additions: 2, deletions: 1 },
    { file: "src/new.ts", status: "added", additions: 1, deletions: 0 },
  ]);
  git("reset", "--quiet", "--hard", base);
  fs.writeFileSync(path.join(dir, "all.patch"), files.map((f) => f.patch).join(""));
  git("apply", "all.patch");
  expect(fs.readFileSync(path.join(dir, "kept.txt"), "utf8")).toBe("one\n++ two\nthree\nfour\n");
  expect(fs.existsSync(path.join(dir, "gone.txt"))).toBe(false);
  expect(parseGitDiff("")).toEqual([]);
});
