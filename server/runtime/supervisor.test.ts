import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fetchRunnerHealth } from "./health";
import { resolveOpencodeBinary } from "./opencode-binary";
import { RunnerSupervisor, type RunnerEvent } from "./supervisor";
import { groupMembers, isAlive, waitUntil } from "./test-helpers";

// The real opencode binary; the model is never called, so no config beyond the defaults.
const dataRoot = fs.mkdtempSync(path.join(os.tmpdir(), "fd-supervisor-"));
afterAll(() => fs.rmSync(dataRoot, { recursive: true, force: true }));

function fakeBinary(name: string, script: string): string {
  const file = path.join(dataRoot, name);
  fs.writeFileSync(file, `#!/bin/sh\n${script}\n`, { mode: 0o755 });
  return file;
}

describe("RunnerSupervisor with the real opencode", () => {
  const events: RunnerEvent[] = [];
  let supervisor: RunnerSupervisor;

  beforeAll(async () => {
    supervisor = new RunnerSupervisor({
      opencodeConfig: { share: "disabled", autoupdate: false },
      dataDir: path.join(dataRoot, "runner"),
      env: { PATH: process.env.PATH },
      backoff: { initialMs: 200 },
    });
    supervisor.on((e) => events.push(e));
    await supervisor.start();
  });
  afterAll(() => supervisor.stop());

  it("starts, reports ready with url, instance id and version, and serves health with auth only", async () => {
    const ready = events.find((e) => e.type === "ready");
    expect(ready).toMatchObject({ url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/), version: "1.18.33" });
    expect(supervisor.status).toBe("ready");
    const instance = supervisor.instance!;
    expect(await fetchRunnerHealth({ url: instance.url, credentials: supervisor.credentials })).toEqual({
      healthy: true,
      version: "1.18.33",
    });
    await expect(fetchRunnerHealth({ url: instance.url })).rejects.toThrow(/401/);
    expect(fs.readFileSync(supervisor.paths.pidFile, "utf8")).toBe(String(instance.pid));
    expect(fs.existsSync(supervisor.paths.database)).toBe(true);
  });

  it("never puts the password in an event", () => {
    expect(JSON.stringify(events)).not.toContain(supervisor.credentials.password);
  });

  it("restarts a SIGKILLed opencode with a new instance id, and it serves again", async () => {
    const before = supervisor.instance!;
    const seen = events.length;
    process.kill(before.pid, "SIGKILL");
    await waitUntil(() => supervisor.status === "ready" && supervisor.instance?.pid !== before.pid, 20_000, "restart");
    const after = supervisor.instance!;
    expect(after.instanceId).not.toBe(before.instanceId);
    expect(events.slice(seen).map((e) => e.type)).toEqual(["exited", "restarting", "starting", "ready"]);
    expect(events[seen]).toMatchObject({ type: "exited", instanceId: before.instanceId, signal: "SIGKILL" });
    expect(events[seen + 1]).toMatchObject({ type: "restarting", attempt: 1, delayMs: 200 });
    // Same port while it stays free, so URLs handed out before the crash keep working.
    expect(after.url).toBe(before.url);
    expect((await fetchRunnerHealth({ url: after.url, credentials: supervisor.credentials })).healthy).toBe(true);
    expect(isAlive(before.pid)).toBe(false);
  });

  it("stop() ends opencode and everything in its process group", async () => {
    const { pid } = supervisor.instance!;
    await supervisor.stop();
    expect(events.at(-1)).toEqual({ type: "stopped" });
    expect(supervisor.status).toBe("stopped");
    expect(isAlive(pid)).toBe(false);
    expect(groupMembers(pid)).toEqual([]);
    expect(fs.existsSync(supervisor.paths.pidFile)).toBe(false);
  });
});

describe("RunnerSupervisor start failures", () => {
  const start = (binary: string, readyTimeoutMs = 10_000) => {
    const supervisor = new RunnerSupervisor({
      opencodeConfig: {},
      dataDir: path.join(dataRoot, `${path.basename(binary)}-data`),
      binary,
      env: { PATH: process.env.PATH },
      readyTimeoutMs,
    });
    return { supervisor, started: supervisor.start() };
  };

  it("says how opencode exited and what it printed, without the password", async () => {
    const binary = fakeBinary("crashes", 'echo "config is broken (password $OPENCODE_SERVER_PASSWORD)" >&2; exit 3');
    const { supervisor, started } = start(binary);
    const error = await started.catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/exited during startup \(code 3\)[\s\S]*config is broken \(password \*\*\*\)/);
    expect((error as Error).message).not.toContain(supervisor.credentials.password);
    expect(supervisor.status).toBe("failed");
    expect(supervisor.lastError).toBe(error);
  });

  it("starts on another port when opencode exits at once on the one it chose (taken meanwhile)", async () => {
    const marker = path.join(dataRoot, "port-taken-once");
    const real = resolveOpencodeBinary({ PATH: process.env.PATH });
    const binary = fakeBinary("port-taken-once", `if [ ! -e ${marker} ]; then touch ${marker}; echo "Failed to start server. Is port in use?" >&2; exit 1; fi\nexec ${real} "$@"`);
    // Two starts of the real binary: on a loaded machine one can take more than the helper's 10 s.
    const { supervisor, started } = start(binary, 60_000);
    try {
      const instance = await started;
      expect(fs.existsSync(marker)).toBe(true);
      expect((await fetchRunnerHealth({ url: instance.url, credentials: supervisor.credentials })).healthy).toBe(true);
    } finally {
      await supervisor.stop();
    }
  });

  it("gives up after the ready timeout and kills what it started", async () => {
    const pidFile = path.join(dataRoot, "hangs.pid");
    const binary = fakeBinary("hangs", `echo $$ > ${pidFile}; echo still loading; sleep 60`);
    const { supervisor, started } = start(binary, 600);
    const error = await started.catch((e: Error) => e);
    expect((error as Error).message).toMatch(/did not become ready within 600 ms[\s\S]*still loading/);
    const pid = Number(fs.readFileSync(pidFile, "utf8"));
    await waitUntil(() => groupMembers(pid).length === 0, 2_000, "the fake runner's group to die");
    expect(fs.existsSync(supervisor.paths.pidFile)).toBe(false);
  });
});
