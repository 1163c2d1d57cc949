import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { killGroup, reapStaleRunner, writePidFile } from "./process-group";
import { groupMembers, isAlive, waitUntil } from "./test-helpers";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fd-reap-"));
// Stands in for the opencode binary; its `sleep` child plays a tool process.
const fakeBinary = path.join(dir, "opencode");
fs.writeFileSync(fakeBinary, "#!/bin/sh\nsleep 60\n", { mode: 0o755 });
const pidFile = path.join(dir, "opencode.pid");
const started: number[] = [];
afterAll(() => {
  for (const pid of started) killGroup(pid, "SIGKILL");
  fs.rmSync(dir, { recursive: true, force: true });
});

function startDetached(command: string, args: string[]): number {
  const child = spawn(command, args, { detached: true, stdio: "ignore" });
  child.unref();
  started.push(child.pid!);
  return child.pid!;
}

describe("reapStaleRunner", () => {
  it("kills a runner, tool processes included, that a previous app run left behind", async () => {
    const runner = startDetached(fakeBinary, ["serve", "--port", "1"]);
    await waitUntil(() => groupMembers(runner).length === 2, 2_000, "the runner and its child");
    writePidFile(pidFile, runner);
    expect(reapStaleRunner(pidFile, fakeBinary)).toBe(runner);
    await waitUntil(() => groupMembers(runner).length === 0, 2_000, "the group to die");
    expect(fs.existsSync(pidFile)).toBe(false);
  });

  it("spares a process that merely reuses the recorded pid", () => {
    const stranger = startDetached("sleep", ["60"]);
    writePidFile(pidFile, stranger);
    expect(reapStaleRunner(pidFile, fakeBinary)).toBeUndefined();
    expect(isAlive(stranger)).toBe(true);
    expect(fs.existsSync(pidFile)).toBe(false);
  });

  it("does nothing without a pid file", () => {
    expect(reapStaleRunner(path.join(dir, "missing.pid"), fakeBinary)).toBeUndefined();
  });
});
