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

  it("gets a worktree through the runner's own API, from the base asked for; diffs, merges, measures and discards it there", async () => {
    const { url } = remote.supervisor.instance!;
    const { id: runnerId } = await live.api.runner.addRemote({ name: "remote", url, ...remote.supervisor.credentials });
    const repo = scratchRepository(remote.supervisor.directory);
    const first = repo.git("rev-parse", "HEAD");
    fs.writeFileSync(path.join(repo.directory, "later.txt"), "later\n");
    repo.git("add", ".");
    repo.git("commit", "--quiet", "-m", "second");
    // opencode opens a project the first time it is asked about it: seconds on a busy machine,
    // more than the app's directory check waits. Opened here, the test is about worktrees only.
    await createRunnerClient({ url, credentials: remote.supervisor.credentials }, { directory: repo.directory }).path.get();

    // git runs on the runner's machine through its terminal API: a base that does not exist is
    // refused, one that does is where the worktree starts.
    await expect(live.api.session.create({ runnerId, directory: repo.directory, worktree: true, base: "no-such-ref" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining('The base "no-such-ref" does not exist'),
    });
    const older = await live.api.session.create({ runnerId, directory: repo.directory, worktree: true, base: first });
    expect((await live.api.session.get({ sessionId: older.id })).worktree).toMatchObject({ baseCommit: first, baseRef: null });
    expect(fs.existsSync(path.join((await live.api.session.get({ sessionId: older.id })).worktree!.path, "later.txt"))).toBe(false);

    const { id } = await live.api.session.create({ runnerId, directory: repo.directory, worktree: true });
    const { worktree } = await live.api.session.get({ sessionId: id });
    expect(worktree).toMatchObject({ baseRef: "main", baseCommit: repo.git("rev-parse", "HEAD"), branch: expect.stringMatching(/^opencode\//) });
    expect(worktree!.path.startsWith(remoteDir)).toBe(true);

    await live.api.session.prompt({ sessionId: id, text: `${marker("edit", "shared.txt")} remote change` });
    await waitForIdleTree(live.services, id);
    expect(fs.readFileSync(path.join(worktree!.path, "shared.txt"), "utf8")).toBe("remote change\n");
    expect(fs.readFileSync(path.join(repo.directory, "shared.txt"), "utf8")).toBe("original\n");
    expect((await live.api.worktree.diff({ sessionId: id })).files).toMatchObject([{ file: "shared.txt", additions: 1, deletions: 1 }]);
    const listed = await live.api.worktree.list({ runnerId });
    expect(listed.find((w) => w.path === worktree!.path)).toMatchObject({ session: { id }, diskBytes: expect.any(Number) });
    expect(listed.every((w) => w.diskBytes! > 0)).toBe(true);

    const merged = await live.api.worktree.merge({ sessionId: id });
    expect(merged).toMatchObject({ kind: "fast-forward", files: 1 });
    expect(repo.git("rev-parse", "main")).toBe(merged.commit);
    expect(fs.readFileSync(path.join(repo.directory, "shared.txt"), "utf8")).toBe("remote change\n");
    expect(fs.existsSync(worktree!.path)).toBe(false);
    // Nothing of the commands run on the runner is left in the repository.
    expect(fs.readdirSync(path.join(repo.directory, ".git")).filter((f) => f.startsWith("flightdeck-"))).toEqual([]);
    expect(repo.git("status", "--porcelain")).toBe("");

    await live.api.worktree.discard({ sessionId: older.id });
    const olderPath = (await live.api.session.get({ sessionId: older.id })).worktree!.path;
    expect(fs.existsSync(olderPath)).toBe(false);
  });
});
