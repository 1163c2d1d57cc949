import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { marker } from "~/server/model/markers";
import { describeEachDatabase } from "~/server/testing/database";
import { startLive, waitForIdleTree, type Live } from "~/server/testing/live";
import { scratchRepository } from "./testing";

describeEachDatabase("session worktrees on the real runner", (database) => {
  let live: Live;
  beforeAll(async () => {
    live = await startLive(database.client);
  });
  afterAll(async () => live?.stop());

  const db = () => database.client;
  const edit = (text: string) => `${marker("edit", "shared.txt")} ${text}`;

  it("gives two parallel sessions on one repository a worktree each: both edit one file, neither sees the other's", async () => {
    const repo = scratchRepository(live.directory);
    const head = repo.git("rev-parse", "HEAD");
    const [a, b] = await Promise.all(
      ["A", "B"].map((who) => live.api.session.create({ runnerId: live.runnerId, directory: repo.directory, title: `edit ${who}`, worktree: true })),
    );
    const [wa, wb] = await Promise.all([a!, b!].map(async (s) => (await live.api.session.get({ sessionId: s.id })).worktree!));
    expect(wa).toMatchObject({ branch: expect.stringMatching(/^opencode\//), baseCommit: head, baseRef: "main", state: "active" });
    expect(wb.path).not.toBe(wa.path);
    expect(wb.branch).not.toBe(wa.branch);
    expect((await db().session.findUniqueOrThrow({ where: { id: a!.id } })).directory).toBe(wa.path);

    await Promise.all([
      live.api.session.prompt({ sessionId: a!.id, text: edit("version A") }),
      live.api.session.prompt({ sessionId: b!.id, text: edit("version B") }),
    ]);
    await Promise.all([waitForIdleTree(live.services, a!.id), waitForIdleTree(live.services, b!.id)]);

    expect(fs.readFileSync(path.join(wa.path, "shared.txt"), "utf8")).toBe("version A\n");
    expect(fs.readFileSync(path.join(wb.path, "shared.txt"), "utf8")).toBe("version B\n");
    expect(fs.readFileSync(path.join(repo.directory, "shared.txt"), "utf8")).toBe("original\n");
    const worktrees = repo.git("worktree", "list", "--porcelain");
    expect(worktrees).toContain(`branch refs/heads/${wa.branch}`);
    expect(worktrees).toContain(`branch refs/heads/${wb.branch}`);
  });

  it("makes the worktree from the base asked for", async () => {
    const repo = scratchRepository(live.directory);
    const first = repo.git("rev-parse", "HEAD");
    fs.writeFileSync(path.join(repo.directory, "later.txt"), "later\n");
    repo.git("add", ".");
    repo.git("commit", "--quiet", "-m", "second");
    repo.git("tag", "v1", first);

    const { id } = await live.api.session.create({ runnerId: live.runnerId, directory: repo.directory, worktree: true, base: "v1" });
    const { worktree } = await live.api.session.get({ sessionId: id });
    expect(worktree).toMatchObject({ baseCommit: first, baseRef: null });
    expect(fs.existsSync(path.join(worktree!.path, "shared.txt"))).toBe(true);
    expect(fs.existsSync(path.join(worktree!.path, "later.txt"))).toBe(false);
  });

  it("refuses bad input with a message naming what is wrong, and leaves nothing behind", async () => {
    const repo = scratchRepository(live.directory);
    const plain = path.join(live.directory, "plain-dir");
    fs.mkdirSync(plain, { recursive: true });
    const sessions = await db().session.count();
    const worktrees = () => repo.git("worktree", "list").split("\n").length;
    const create = (input: { directory?: string; base?: string; worktreeName?: string }) =>
      live.api.session.create({ runnerId: live.runnerId, directory: input.directory ?? repo.directory, worktree: true, ...input });

    await expect(create({ directory: plain })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining(`is inside the git repository ${live.directory}`),
    });
    const empty = path.join(live.directory, "no-commits");
    fs.mkdirSync(empty);
    execFileSync("git", ["init", "--quiet"], { cwd: empty });
    await expect(create({ directory: empty })).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("has no commits yet") });
    await expect(create({ base: "no-such-branch" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining('The base "no-such-branch" does not exist'),
    });
    await expect(create({ base: "--upload-pack=x" })).rejects.toMatchObject({ code: "BAD_REQUEST" });

    fs.writeFileSync(path.join(repo.directory, "shared.txt"), "uncommitted\n");
    await expect(create({})).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/has uncommitted changes \(shared\.txt\)/) });
    repo.git("checkout", "--", "shared.txt");

    await create({ worktreeName: "taken" });
    const before = worktrees();
    await expect(create({ worktreeName: "taken" })).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringContaining("The branch opencode/taken already exists"),
    });
    expect(worktrees()).toBe(before);
    expect(repo.git("branch", "--list", "opencode/taken*").split("\n")).toHaveLength(1);
    expect(await db().session.count()).toBe(sessions + 1);
    await expect(live.api.session.create({ runnerId: live.runnerId, directory: repo.directory, base: "main" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("only to a session with a worktree"),
    });
  });
});
