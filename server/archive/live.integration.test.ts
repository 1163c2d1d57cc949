import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachDatabase } from "~/server/testing/database";
import { startLive, waitForIdleTree, waitUntil, type Live } from "~/server/testing/live";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { archiveResponseMeta } from "~/server/api/errors";
import { appRouter } from "~/server/api/root";
import { createInnerContext } from "~/server/api/trpc";
import { teamMember } from "~/server/testing/team";
import { createRunnerClient } from "~/server/runtime/client";
import { importOpencodeDb } from "./import";
import { archiveContent, rowCounts } from "./testing";

// The archive against the real runner: a run with a sub-agent is archived when it goes idle,
// a manual sync is idempotent, the runner's own opencode.db imports to the same tree, forks
// work on the runner and (once the runner lost the session) from the transcript, and the
// archive stays readable after the session is deleted.

describeEachDatabase("archive with the real runner", (database) => {
  let live: Live;
  let rootId: string;
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "flightdeck-archive-live-"));

  beforeAll(async () => {
    live = await startLive(database.client, { archive: { idleMs: 1_000, sweepMs: 0, retention: { everyMs: 0 } } });
    const { id } = await live.api.session.create({ runnerId: live.runnerId, directory: live.directory, title: "Archive me" });
    rootId = id;
    await live.api.session.prompt({ sessionId: id, text: "Delegate twice. demo:task=2" });
    await waitForIdleTree(live.services, id, 90_000);
  }, 180_000);

  afterAll(async () => {
    await live?.stop();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  /** The archive of one tree, comparable across runners (no row ids, no bookkeeping). */
  const treeContent = async (runnerId: string, rootOpencodeId: string) =>
    (await archiveContent(database.client, runnerId)).filter((s) => (s.root ?? s.opencodeId) === rootOpencodeId);

  it("archives the whole tree once it goes idle (debounced), and a manual sync changes nothing", async () => {
    const db = database.client;
    // The idle poller may sync again while late events arrive: wait for it to settle.
    await waitUntil(
      async () => {
        const tree = await db.session.findMany({ where: { rootId }, select: { archiveState: true, lastArchivedAt: true } });
        return tree.length === 3 && tree.every((s) => s.archiveState === "archived" && s.lastArchivedAt);
      },
      60_000,
      "the idle sync to archive the whole tree",
    );

    const status = await live.api.archive.status({ sessionId: rootId });
    expect(status).toMatchObject({ state: "archived", rootId });
    const counts = await rowCounts(db);
    const outcome = await live.api.archive.sync({ sessionId: rootId });
    expect(outcome).toMatchObject({ changes: 0, sessions: 3, version: status.version + 1 });
    expect(await rowCounts(db)).toEqual(counts);

    const { tree: archived, stats } = await live.api.archive.tree({ sessionId: rootId });
    expect(stats).toMatchObject({ turns: 1, subAgents: 2, subAgentTurns: 2 });
    expect(stats.toolCalls).toBeGreaterThanOrEqual(3);
    expect(stats.tokens.input).toBeGreaterThan(0);
    expect(Object.values(archived.sessions).map((s) => s.parentId === null)).toEqual([true, false, false]);
  });

  it("after another turn, the idle sync reads only the runner's newest messages and leaves the archive as a whole read would", async () => {
    const { id } = await live.api.session.create({ runnerId: live.runnerId, directory: live.directory, title: "Recent read" });
    await live.api.session.prompt({ sessionId: id, text: "Delegate once. demo:task=1" });
    await waitForIdleTree(live.services, id, 90_000);
    // The first sync of a tree reads it whole, and verifies what it read.
    await live.services.archive.syncSession(id, "idle");
    await live.api.session.prompt({ sessionId: id, text: "One more. demo:text", acknowledgeStale: true });
    await waitUntil(
      async () => (await database.client.turn.count({ where: { sessionId: id, status: "completed" } })) === 2,
      90_000,
      "the second turn to complete",
    );
    await waitForIdleTree(live.services, id, 90_000);

    const idle = await live.services.archive.syncSession(id, "idle");
    expect(idle).toMatchObject({ read: "recent", sessions: 2 });
    const counts = await rowCounts(database.client);
    expect(await live.api.archive.sync({ sessionId: id })).toMatchObject({ changes: 0 });
    expect(await rowCounts(database.client)).toEqual(counts);
    const { stats } = await live.api.archive.tree({ sessionId: id });
    expect(stats).toMatchObject({ turns: 2, subAgents: 1 });
  });

  it("the periodic sweep syncs a tree the archive is behind on", async () => {
    const db = database.client;
    const before = (await db.session.findUniqueOrThrow({ where: { id: rootId } })).lastArchivedAt!;
    // New activity the archive has not synced yet (as the live path records it).
    await db.session.update({ where: { id: rootId }, data: { lastActivityAt: new Date() } });
    // A pass of the idle poller may be running (passes never overlap): sweep until one ran.
    await waitUntil(async () => (await live.services.archive.tick("sweep")) === 1, 30_000, "a sweep pass");
    const after = await db.session.findUniqueOrThrow({ where: { id: rootId } });
    expect(after.lastArchivedAt!.getTime()).toBeGreaterThan(before.getTime());
    expect(after.archiveState).toBe("archived");
  });

  it("importing the runner's own opencode.db yields the same tree as the live archive", async () => {
    const db = database.client;
    const root = await db.session.findUniqueOrThrow({ where: { id: rootId } });
    await live.api.archive.sync({ sessionId: rootId });
    const expected = await treeContent(live.runnerId, root.opencodeId);
    expect(expected).toHaveLength(3);
    expect(expected.flatMap((s) => s.parts.filter((p) => p.span?.child))).toHaveLength(2);
    // A consistent copy of the runner's database while it serves (WAL included).
    const copy = path.join(scratch, "opencode.db");
    const source = new Database(live.services.embedded!.supervisor.paths.database, { readonly: true });
    await source.backup(copy);
    source.close();

    const report = await importOpencodeDb(db, copy, { runnerName: `imported-${database.target}` });
    expect(report.failed).toEqual([]);
    expect(report.trees).toBeGreaterThanOrEqual(1);
    const imported = await treeContent(report.runnerId, root.opencodeId);
    expect(imported).toEqual(expected);

    // Re-importing changes nothing.
    const counts = await rowCounts(db);
    const again = await importOpencodeDb(db, copy, { runnerName: `imported-${database.target}` });
    expect(again.changes).toBe(0);
    expect(await rowCounts(db)).toEqual(counts);
    expect(await treeContent(report.runnerId, root.opencodeId)).toEqual(expected);

    // An imported tree is read from the archive: its runner does not serve.
    const importedRoot = await db.session.findFirstOrThrow({ where: { runnerId: report.runnerId, opencodeId: root.opencodeId } });
    const view = await live.api.archive.view({ sessionId: importedRoot.id });
    expect(view).toMatchObject({ mode: "archive", reason: "runner-unavailable" });
    // Nothing serves it: a prompt says so, and what to do instead.
    await expect(live.api.session.prompt({ sessionId: importedRoot.id, text: "Go on. demo:text" })).rejects.toThrow(
      "This session was imported from an opencode database, and no runner serves it: fork it to go on.",
    );
  });

  it("a file that is not an opencode database is refused, naming the file", async () => {
    const bogus = path.join(scratch, "notes.txt");
    fs.writeFileSync(bogus, "just some text, not SQLite");
    await expect(importOpencodeDb(database.client, bogus)).rejects.toMatchObject({ kind: "invalid", message: expect.stringContaining("is not an opencode database") });
    const empty = path.join(scratch, "empty.db");
    new Database(empty).close();
    await expect(importOpencodeDb(database.client, empty)).rejects.toThrow(/has no "session" table/);
  });

  it("forks on the runner while it has the session, from the transcript once it does not; the archive outlives the delete", async () => {
    const db = database.client;
    const onRunner = await live.api.archive.fork({ sessionId: rootId });
    expect(onRunner.mode).toBe("runner-fork");
    const relation = await db.sessionRelation.findFirstOrThrow({ where: { childId: onRunner.id }, include: { turn: true } });
    expect(relation).toMatchObject({ parentId: rootId, kind: "fork" });
    expect(relation.turn?.index).toBe(1);
    await waitUntil(async () => (await db.message.count({ where: { sessionId: onRunner.id } })) > 0, 30_000, "the fork's copied messages");

    await live.api.session.delete({ sessionId: rootId });
    const view = await live.api.archive.view({ sessionId: rootId });
    expect(view.mode).toBe("archive");
    if (view.mode !== "archive") return;
    expect(view.reason).toBe("deleted");
    expect(view.stats.subAgents).toBe(2);
    const texts = Object.values(view.tree.sessions).flatMap((s) => s.turns.flatMap((t) => t.messages.flatMap((m) => m.parts.map((p) => p.text ?? ""))));
    expect(texts.join("\n")).toContain("The sub-agent finished. It reported:");

    const seeded = await live.api.archive.fork({ sessionId: rootId });
    expect(seeded.mode).toBe("transcript");
    await waitUntil(async () => (await db.message.count({ where: { sessionId: seeded.id } })) > 0, 30_000, "the seeded transcript");
    const seed = await db.part.findFirstOrThrow({ where: { sessionId: seeded.id, type: "text" } });
    expect(seed.text).toContain("Delegate twice. demo:task=2");
    expect(seed.text).toContain("The sub-agent finished.");
    expect(await db.sessionRelation.count({ where: { parentId: rootId, kind: "fork" } })).toBe(2);
  });

  it("reads from the archive once the runner lost the session; HTTP says 503 + Retry-After while a sync writes", async () => {
    const db = database.client;
    const { id } = await live.api.session.create({ runnerId: live.runnerId, directory: live.directory, title: "Lost" });
    await live.api.session.prompt({ sessionId: id, text: "Say something. demo:text" });
    await waitForIdleTree(live.services, id, 60_000);
    expect((await live.api.archive.view({ sessionId: id })).mode).toBe("live");
    // Removed behind the app's back (another client, a wiped data dir).
    const link = (await live.services.runners.link(live.runnerId))!;
    const row = await db.session.findUniqueOrThrow({ where: { id } });
    await createRunnerClient(link.endpoint, { directory: row.directory }).session.delete({ sessionID: row.opencodeId });
    const view = await live.api.archive.view({ sessionId: id });
    expect(view).toMatchObject({ mode: "archive", reason: "gone-from-runner" });

    await db.session.update({ where: { id }, data: { archiveState: "syncing" } });
    const response = await fetchRequestHandler({
      endpoint: "/api/trpc",
      req: new Request(`http://localhost/api/trpc/archive.tree?input=${encodeURIComponent(JSON.stringify({ json: { sessionId: id } }))}`),
      router: appRouter,
      createContext: async () => createInnerContext({ caller: await teamMember(live.services.db, "viewer"), services: async () => live.services }),
      responseMeta: archiveResponseMeta,
    });
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("2");
    const body = (await response.json()) as { error: { json: { message: string; data: { archive: unknown } } } };
    expect(body.error.json.message).toMatch(/being synced right now.*Retry in 2 s/);
    expect(body.error.json.data.archive).toEqual({ kind: "syncing", retryAfterSeconds: 2 });
    await db.session.update({ where: { id }, data: { archiveState: "archived" } });
  });

  it("archives the runner's changed trees before the app stops it", async () => {
    const db = database.client;
    const { id } = await live.api.session.create({ runnerId: live.runnerId, directory: live.directory, title: "Stop me" });
    await live.api.session.prompt({ sessionId: id, text: "Say something. demo:text" });
    await waitForIdleTree(live.services, id, 60_000);
    await db.session.update({ where: { id }, data: { lastActivityAt: new Date(Date.now() + 60_000), archiveState: "none" } });
    await live.services.stop();
    const row = await db.session.findUniqueOrThrow({ where: { id } });
    expect(row.archiveState).toBe("archived");
    expect(await db.message.count({ where: { sessionId: id } })).toBe(2);
  });

  it("says what is wrong with an id: malformed 400, unknown 404, purged 410", async () => {
    const err = (p: Promise<unknown>) => p.then(() => undefined, (e: { code?: string; cause?: { kind?: string } }) => ({ code: e.code, kind: e.cause?.kind }));
    expect(await err(live.api.archive.tree({ sessionId: "nope" }))).toEqual({ code: "BAD_REQUEST", kind: "malformed_id" });
    expect(await err(live.api.archive.tree({ sessionId: "00000000-0000-4000-8000-000000000000" }))).toEqual({ code: "NOT_FOUND", kind: "unknown" });
    await expect(live.api.archive.purge({ sessionId: rootId, confirm: "yes" })).rejects.toThrow(/repeating the session id/);
    await live.api.archive.purge({ sessionId: rootId, confirm: rootId });
    expect(await err(live.api.archive.tree({ sessionId: rootId }))).toEqual({ code: "NOT_FOUND", kind: "purged" });
  });
});
