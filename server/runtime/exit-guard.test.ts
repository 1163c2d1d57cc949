import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { isAlive, waitUntil } from "./test-helpers";

// A parent process that starts a process group (like a runner), guards it, then ends in the
// given way. The group must not survive the parent.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fd-exit-guard-"));
const fixture = path.join(dir, "parent.ts");
fs.writeFileSync(
  fixture,
  `import { spawn } from "node:child_process";
import { guardProcessGroup } from ${JSON.stringify(path.resolve(__dirname, "exit-guard.ts"))};
const child = spawn("sleep", ["60"], { detached: true, stdio: "ignore" });
guardProcessGroup(child.pid!);
console.log(child.pid);
if (process.argv[2] === "exit") setTimeout(() => process.exit(0), 50);
else setInterval(() => {}, 1000);
`,
);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function runParent(mode: "exit" | "wait") {
  // `node --import tsx`, not the tsx CLI: the CLI is a wrapper process that would mask the signal.
  const parent = spawn(process.execPath, ["--import", "tsx", fixture, mode], { stdio: ["ignore", "pipe", "inherit"] });
  const childPid = new Promise<number>((resolve) => parent.stdout.once("data", (d: Buffer) => resolve(Number(String(d)))));
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
    parent.once("exit", (code, signal) => resolve(signal ?? code)),
  );
  return { parent, childPid, exited };
}

describe("guardProcessGroup", () => {
  it("kills the group when the parent exits normally", async () => {
    const { childPid, exited } = runParent("exit");
    const pid = await childPid;
    expect(isAlive(pid)).toBe(true);
    expect(await exited).toBe(0);
    await waitUntil(() => !isAlive(pid), 3_000);
  });

  it("kills the group when the parent is terminated by a signal, and still dies by it", async () => {
    const { parent, childPid, exited } = runParent("wait");
    const pid = await childPid;
    parent.kill("SIGTERM");
    expect(await exited).toBe("SIGTERM");
    await waitUntil(() => !isAlive(pid), 3_000);
  });

  it("kills the group even when the parent is killed with SIGKILL and runs no handler", async () => {
    const { parent, childPid, exited } = runParent("wait");
    const pid = await childPid;
    parent.kill("SIGKILL");
    expect(await exited).toBe("SIGKILL");
    await waitUntil(() => !isAlive(pid), 5_000, "the orphaned group to be killed");
  });
});
