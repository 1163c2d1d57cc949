import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { marker } from "~/server/model/markers";
import { createRunnerClient } from "~/server/runtime/client";
import { describeEachDatabase } from "~/server/testing/database";
import { startLive, waitForIdleTree, waitUntil, type Live } from "~/server/testing/live";
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
    const worktreeOf = async (sessionId: string) => (await live.api.session.get({ sessionId })).worktree!;
    const [wa, wb] = [await worktreeOf(a!.id), await worktreeOf(b!.id)];
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

  it("gives new sessions a worktree when their runner's default says so", async () => {
    const repo = scratchRepository(live.directory);
    await live.api.runner.setWorktreeDefault({ runnerId: live.runnerId, enabled: true });
    try {
      const { id } = await live.api.session.create({ runnerId: live.runnerId, directory: repo.directory });
      expect((await live.api.session.get({ sessionId: id })).worktree).toMatchObject({ baseRef: "main", state: "active" });
      const plain = await live.api.session.create({ runnerId: live.runnerId, directory: repo.directory, worktree: false });
      expect((await live.api.session.get({ sessionId: plain.id })).worktree).toBeNull();
    } finally {
      await live.api.runner.setWorktreeDefault({ runnerId: live.runnerId, enabled: false });
    }
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

  it("keeps the agent's own commits in the diff and the merge: the worktree is compared with its base, not its HEAD", async () => {
    const repo = scratchRepository(live.directory);
    const { id } = await live.api.session.create({ runnerId: live.runnerId, directory: repo.directory, title: "commits", worktree: true });
    const { worktree } = await live.api.session.get({ sessionId: id });
    const inWorktree = (...args: string[]) => execFileSync("git", ["-c", "user.name=Agent", "-c", "user.email=agent@local", ...args], { cwd: worktree!.path, encoding: "utf8" });
    // What an agent running `git commit` leaves: one change committed, one more still in the files.
    fs.writeFileSync(path.join(worktree!.path, "shared.txt"), "committed by the agent\n");
    fs.writeFileSync(path.join(worktree!.path, "added.txt"), "new\n");
    inWorktree("add", "--all");
    inWorktree("commit", "--quiet", "-m", "agent's commit");
    fs.writeFileSync(path.join(worktree!.path, "later.txt"), "not committed\n");

    const { files } = await live.api.worktree.diff({ sessionId: id });
    expect(files.map(({ file, status, additions, deletions }) => ({ file, status, additions, deletions }))).toEqual([
      { file: "added.txt", status: "added", additions: 1, deletions: 0 },
      { file: "later.txt", status: "added", additions: 1, deletions: 0 },
      { file: "shared.txt", status: "modified", additions: 1, deletions: 1 },
    ]);
    // Reading the diff staged nothing in the worktree itself.
    expect(inWorktree("status", "--porcelain")).toBe("?? later.txt\n");

    expect(await live.api.worktree.merge({ sessionId: id })).toMatchObject({ kind: "fast-forward", files: 3 });
    expect(fs.readFileSync(path.join(repo.directory, "shared.txt"), "utf8")).toBe("committed by the agent\n");
    expect(fs.readFileSync(path.join(repo.directory, "later.txt"), "utf8")).toBe("not committed\n");
    expect(fs.readdirSync(path.join(repo.directory, ".git")).filter((f) => f.startsWith("flightdeck-"))).toEqual([]);
  });

  it("forks a session whose worktree was merged from the archive, into its repository, and the fork runs there", async () => {
    const repo = scratchRepository(live.directory);
    const { id } = await live.api.session.create({ runnerId: live.runnerId, directory: repo.directory, worktree: true, prompt: { text: edit("version M") } });
    await waitUntil(async () => (await db().turn.count({ where: { sessionId: id, status: "completed" } })) === 1, 60_000, "the edit's turn");
    await waitForIdleTree(live.services, id);
    await live.api.worktree.merge({ sessionId: id });
    // A fork on the runner would open in the removed worktree: refused, saying what works.
    await expect(live.api.session.fork({ sessionId: id })).rejects.toMatchObject({ code: "PRECONDITION_FAILED", message: expect.stringContaining("fork it from the archive") });
    expect((await live.api.session.timeline({ sessionId: id }))!.gone).toBe(true);
    const fork = await live.api.archive.fork({ sessionId: id });
    expect((await db().session.findUniqueOrThrow({ where: { id: fork.id } })).directory).toBe(repo.directory);
    await live.api.session.prompt({ sessionId: fork.id, text: `${marker("text")} Go on.` });
    // The Demo model's answer to demo:text, from a runner that found its directory.
    await waitUntil(async () => (await db().part.count({ where: { sessionId: fork.id, type: "text", text: { contains: "language model" } } })) > 0, 60_000, "the fork's answer");
    expect(await db().turn.count({ where: { sessionId: fork.id, status: "error" } })).toBe(0);
  });

  it("shows each diff, merges one into the base, reports the other's conflict leaving the base intact, and discards", async () => {
    const repo = scratchRepository(live.directory);
    const start = async (who: string, text = edit(`version ${who}`)) => {
      const { id } = await live.api.session.create({ runnerId: live.runnerId, directory: repo.directory, title: `edit ${who}`, worktree: true });
      await live.api.session.prompt({ sessionId: id, text });
      return id;
    };
    const [a, b, c] = await Promise.all([start("A"), start("B"), start("C", `${marker("edit", "other.txt")} other file`)]);
    await Promise.all([a, b, c].map((id) => waitForIdleTree(live.services, id)));

    const diffA = await live.api.worktree.diff({ sessionId: a });
    expect(diffA).toMatchObject({ state: "active", baseRef: "main", files: [{ file: "shared.txt", status: "modified", additions: 1, deletions: 1 }] });
    expect(diffA.files[0]!.patch).toContain("-original\n+version A");
    // opencode sums up the turn's changes on its prompt a moment after the session goes idle.
    await waitUntil(async () => (await live.api.worktree.diff({ sessionId: a })).turns.length > 0, 20_000, "the turn's summary diff");
    const { turns } = await live.api.worktree.diff({ sessionId: a });
    expect(turns).toMatchObject([{ index: 1, files: [{ file: "shared.txt", additions: 1, deletions: 1 }] }]);
    expect(turns[0]!.files[0]!.patch).toContain("+version A");
    const patch = await live.api.worktree.patch({ sessionId: a });
    expect(patch.fileName).toMatch(/^opencode-.+\.patch$/);
    const copy = scratchRepository(live.directory);
    fs.writeFileSync(path.join(copy.directory, "a.patch"), patch.patch);
    copy.git("apply", "a.patch");
    expect(fs.readFileSync(path.join(copy.directory, "shared.txt"), "utf8")).toBe("version A\n");

    const { worktree: wa } = await live.api.session.get({ sessionId: a });
    const merged = await live.api.worktree.merge({ sessionId: a });
    expect(merged).toMatchObject({ kind: "fast-forward", files: 1 });
    expect(repo.git("rev-parse", "main")).toBe(merged.commit);
    expect(fs.readFileSync(path.join(repo.directory, "shared.txt"), "utf8")).toBe("version A\n");
    expect(fs.existsSync(wa!.path)).toBe(false);
    expect(await live.api.worktree.diff({ sessionId: a })).toMatchObject({ state: "merged", files: [{ file: "shared.txt" }] });
    await expect(live.api.worktree.merge({ sessionId: a })).rejects.toMatchObject({ code: "PRECONDITION_FAILED", message: expect.stringContaining("was merged") });

    await expect(live.api.worktree.merge({ sessionId: b })).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringMatching(/conflicts in shared\.txt; nothing was merged/),
    });
    expect(repo.git("rev-parse", "main")).toBe(merged.commit);
    expect(repo.git("status", "--porcelain")).toBe("");
    expect(fs.readFileSync(path.join(repo.directory, "shared.txt"), "utf8")).toBe("version A\n");

    const { worktree: wb } = await live.api.session.get({ sessionId: b });
    await live.api.worktree.discard({ sessionId: b });
    expect(fs.existsSync(wb!.path)).toBe(false);
    expect(repo.git("branch", "--list", wb!.branch)).toBe("");
    expect(repo.git("worktree", "list")).not.toContain(wb!.path);
    expect(await live.api.worktree.diff({ sessionId: b })).toMatchObject({ state: "discarded", files: [{ file: "shared.txt" }] });

    // C changed another file; main moved on since C's worktree was made: a merge commit.
    const mergedC = await live.api.worktree.merge({ sessionId: c });
    expect(mergedC.kind).toBe("merge commit");
    expect(repo.git("show", "-s", "--format=%P", "main").split(" ")).toEqual([merged.commit, expect.any(String)]);
    expect(fs.readFileSync(path.join(repo.directory, "other.txt"), "utf8")).toBe("other file\n");
    expect(fs.readFileSync(path.join(repo.directory, "shared.txt"), "utf8")).toBe("version A\n");

    const actions = (await live.api.session.audit({ sessionId: a })).map((row) => row.action);
    expect(actions).toContain("worktree.merge");
    expect((await live.api.session.audit({ sessionId: b })).map((row) => row.action)).toContain("worktree.discard");
  });

  it("reverts a session inside its own worktree only: the other session's edit stays", async () => {
    const repo = scratchRepository(live.directory);
    const start = async (who: string) => {
      const { id } = await live.api.session.create({ runnerId: live.runnerId, directory: repo.directory, worktree: true });
      await live.api.session.prompt({ sessionId: id, text: edit(`version ${who}`) });
      return id;
    };
    const [a, b] = await Promise.all([start("A"), start("B")]);
    await Promise.all([a, b].map((id) => waitForIdleTree(live.services, id)));
    const [wa, wb] = [(await live.api.session.get({ sessionId: a })).worktree!, (await live.api.session.get({ sessionId: b })).worktree!];
    expect(fs.readFileSync(path.join(wa.path, "shared.txt"), "utf8")).toBe("version A\n");

    const turn = await db().turn.findFirstOrThrow({ where: { sessionId: a, index: 1 } });
    await live.api.session.revert({ sessionId: a, messageId: turn.userMessageId });

    expect(fs.readFileSync(path.join(wa.path, "shared.txt"), "utf8")).toBe("original\n");
    expect(fs.readFileSync(path.join(wb.path, "shared.txt"), "utf8")).toBe("version B\n");
    expect(fs.readFileSync(path.join(repo.directory, "shared.txt"), "utf8")).toBe("original\n");
    expect((await live.api.worktree.diff({ sessionId: a })).files).toEqual([]);
    expect((await live.api.worktree.diff({ sessionId: b })).files).toMatchObject([{ file: "shared.txt" }]);
  });

  it("lists a runner's worktrees with their sessions and disk use, removes orphans, and retention removes a deleted session's", async () => {
    const repo = scratchRepository(live.directory);
    const { id } = await live.api.session.create({ runnerId: live.runnerId, directory: repo.directory, worktree: true, title: "kept" });
    await live.api.session.prompt({ sessionId: id, text: edit("before deletion") });
    await waitForIdleTree(live.services, id);
    const { worktree } = await live.api.session.get({ sessionId: id });
    const link = (await live.services.runners.link(live.runnerId))!;
    const { data: orphan } = await createRunnerClient(link.endpoint, { directory: repo.directory }).worktree.create({ worktreeCreateInput: { name: "orphan" } }, { throwOnError: true });

    const listed = (await live.api.worktree.list({ runnerId: live.runnerId })).filter((w) => w.repository === repo.directory);
    expect(listed).toHaveLength(2);
    expect(listed.find((w) => w.path === worktree!.path)).toMatchObject({ session: { id, title: "kept", branch: worktree!.branch }, diskBytes: expect.any(Number) });
    expect(listed.find((w) => w.path === orphan.directory)).toMatchObject({ session: null });
    expect(listed.every((w) => w.diskBytes! > 0)).toBe(true);

    await expect(live.api.worktree.removeOrphan({ runnerId: live.runnerId, path: worktree!.path })).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
      message: expect.stringContaining('Session "kept" uses'),
    });
    await live.api.worktree.removeOrphan({ runnerId: live.runnerId, path: orphan.directory });
    expect(fs.existsSync(orphan.directory)).toBe(false);
    expect(repo.git("branch", "--list", "opencode/orphan")).toBe("");

    await live.api.session.delete({ sessionId: id });
    expect(fs.existsSync(worktree!.path)).toBe(true);
    const report = await live.services.archive.applyRetention();
    expect(report.worktreesRemoved).toBe(1);
    expect(fs.existsSync(worktree!.path)).toBe(false);
    expect(repo.git("branch", "--list", worktree!.branch)).toBe("");
    expect(await live.api.worktree.diff({ sessionId: id })).toMatchObject({ state: "removed", files: [{ file: "shared.txt" }] });
    expect((await live.api.worktree.list({ runnerId: live.runnerId })).filter((w) => w.repository === repo.directory)).toEqual([]);
  });
});

