import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { marker } from "~/server/model/markers";
import { createRunnerClient } from "~/server/runtime/client";
import { startEmbeddedRunner, type EmbeddedRunner } from "~/server/runtime/embedded";
import { describeEachDatabase } from "~/server/testing/database";
import { startLive, waitForIdleTree, type Live } from "~/server/testing/live";
import { scratchRepository } from "./testing";

describeEachDatabase("session worktrees on a remote runner", (database) => {
  let live: Live;
  let remote: EmbeddedRunner;
  const remoteDir = fs.mkdtempSync(path.join(os.tmpdir(), "flightdeck-remote-"));
  beforeAll(async () => {
    // A second opencode server plays the remote runner: the app reaches it only over HTTP.
    [live, remote] = await Promise.all([startLive(database.client), startEmbeddedRunner({ dataDir: remoteDir, deltaDelayMs: 0 })]);
  });
  afterAll(async () => {
    await Promise.all([live?.stop(), remote?.stop()]);
    fs.rmSync(remoteDir, { recursive: true, force: true });
  });

  it("gets a worktree through the runner's own API: made, edited, diffed and discarded there", async () => {
    const { url } = remote.supervisor.instance!;
    const { id: runnerId } = await live.api.runner.addRemote({ name: "remote", url, ...remote.supervisor.credentials });
    const repo = scratchRepository(remote.supervisor.directory);
    // opencode opens a project the first time it is asked about it: seconds on a busy machine,
    // more than the app's directory check waits. Opened here, the test is about worktrees only.
    await createRunnerClient({ url, credentials: remote.supervisor.credentials }, { directory: repo.directory }).path.get();

    await expect(live.api.session.create({ runnerId, directory: repo.directory, worktree: true, base: "HEAD~1" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("makes worktrees from the repository's current HEAD only"),
    });
    const { id } = await live.api.session.create({ runnerId, directory: repo.directory, worktree: true });
    const { worktree } = await live.api.session.get({ sessionId: id });
    expect(worktree).toMatchObject({ baseRef: "main", baseCommit: repo.git("rev-parse", "HEAD"), branch: expect.stringMatching(/^opencode\//) });
    expect(worktree!.path.startsWith(remoteDir)).toBe(true);

    await live.api.session.prompt({ sessionId: id, text: `${marker("edit", "shared.txt")} remote change` });
    await waitForIdleTree(live.services, id);
    expect(fs.readFileSync(path.join(worktree!.path, "shared.txt"), "utf8")).toBe("remote change\n");
    expect(fs.readFileSync(path.join(repo.directory, "shared.txt"), "utf8")).toBe("original\n");
    expect((await live.api.worktree.diff({ sessionId: id })).files).toMatchObject([{ file: "shared.txt", additions: 1, deletions: 1 }]);
    await expect(live.api.worktree.merge({ sessionId: id })).rejects.toMatchObject({ code: "PRECONDITION_FAILED", message: expect.stringContaining("download the patch") });

    await live.api.worktree.discard({ sessionId: id });
    expect(fs.existsSync(worktree!.path)).toBe(false);
    expect(repo.git("branch", "--list", worktree!.branch)).toBe("");
  });
});
