import fs from "node:fs";
import path from "node:path";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { afterAll, beforeAll, expect, it } from "vitest";
import { TreeConversation } from "~/components/archive/tree-conversation";
import { loadArchivedTree } from "~/server/archive/read";
import { DEMO_WRITE_FILE, marker } from "~/server/model";
import { createRunnerClient } from "~/server/runtime/client";
import { loadSnapshot } from "~/server/store/snapshot";
import { describeEachDatabase } from "~/server/testing/database";
import { sessionEvents, startLive, waitForIdleTree, waitUntil, type Live } from "~/server/testing/live";

// Revert for the whole tree against the real runner. One tree grows in beforeAll: turn 1 spawns a
// sub-agent that writes a file (demo:write), turn 2 a sub-agent with one of its own (demo:task=2).

describeEachDatabase("revert and unrevert of a session tree on the real runner", (database) => {
  let live: Live;
  let rootId: string;
  const db = () => database.client;
  const turn = (index: number) => db().turn.findFirstOrThrow({ where: { sessionId: rootId, index } });
  const subagents = () => db().session.findMany({ where: { rootId, NOT: { id: rootId } }, orderBy: { createdAt: "asc" } });
  const listed = async () => (await live.api.session.list({})).items.find((s) => s.id === rootId)!;
  const notes = () => path.join(live.directory, DEMO_WRITE_FILE);
  const runnerStatus = async () => {
    const client = createRunnerClient((await live.services.runners.link(live.runnerId))!.endpoint, { directory: live.directory });
    return (await client.session.status(undefined, { throwOnError: true })).data;
  };

  beforeAll(async () => {
    live = await startLive(database.client);
    ({ id: rootId } = await live.api.session.create({ runnerId: live.runnerId, directory: live.directory, title: "Revert me" }));
    await live.api.session.prompt({ sessionId: rootId, text: `Take notes. ${marker("write")}` });
    await waitForIdleTree(live.services, rootId, 90_000);
    await live.api.session.prompt({ sessionId: rootId, text: `Delegate twice. ${marker("task", 2)}` });
    await waitUntil(async () => (await subagents()).length === 3, 90_000, "the nested sub-agents");
    await waitForIdleTree(live.services, rootId, 90_000);
  }, 240_000);

  afterAll(async () => live?.stop());

  it("previews, then reverts the turns with their sub-agents (file restored); unrevert brings all of it back", async () => {
    const [writer, delegate, nested] = await subagents();
    expect(fs.existsSync(notes())).toBe(true);
    expect((await listed()).tree.subagents).toBe(3);
    const first = await turn(1);

    const preview = await live.api.session.revertPreview({ sessionId: rootId, messageId: first.userMessageId });
    expect(preview.turns.map((t) => t.index)).toEqual([1, 2]);
    expect(preview.sessions.map((s) => [s.id, s.depth])).toEqual([
      [writer!.id, 1],
      [delegate!.id, 1],
      [nested!.id, 2],
    ]);
    expect(preview.files).toEqual([DEMO_WRITE_FILE]);

    // A viewer watching live gets a snapshot without the reverted sub-agents.
    const watching = new AbortController();
    const events = sessionEvents(live, rootId, null, watching.signal);
    expect(Object.keys(((await events.next()).value as { state: { sessions: object } }).state.sessions)).toHaveLength(4);

    const report = await live.api.session.revert({ sessionId: rootId, messageId: first.userMessageId });
    // Deepest first, the session itself last; nothing was running, so nothing was aborted.
    expect(report.steps.map((s) => [s.sessionId, s.action, s.ok])).toEqual([
      [nested!.id, "revert", true],
      [delegate!.id, "revert", true],
      [writer!.id, "revert", true],
      [rootId, "revert", true],
    ]);
    expect(fs.existsSync(notes())).toBe(false);
    const admin = await db().user.findFirstOrThrow({ where: { role: "admin" } });
    for (const s of await subagents()) expect(s).toMatchObject({ revertedAt: expect.any(Date), revertedById: admin.id });
    expect((await turn(1)).revertedAt).not.toBeNull();
    expect((await turn(2)).revertedAt).not.toBeNull();
    expect((await listed()).tree.subagents).toBe(0);
    const rootOpencodeId = (await db().session.findUniqueOrThrow({ where: { id: rootId } })).opencodeId;
    for await (const event of events) {
      if (event.kind !== "snapshot") continue;
      expect(Object.keys(event.state.sessions)).toEqual([rootOpencodeId]);
      break;
    }
    watching.abort();

    const undo = await live.api.session.unrevert({ sessionId: rootId });
    expect(undo.steps.map((s) => [s.sessionId, s.action, s.ok])).toEqual([
      [rootId, "unrevert", true],
      [writer!.id, "unrevert", true],
      [delegate!.id, "unrevert", true],
      [nested!.id, "unrevert", true],
    ]);
    expect(fs.existsSync(notes())).toBe(true);
    for (const s of await subagents()) expect(s).toMatchObject({ revertedAt: null, revertedById: null });
    expect((await turn(1)).revertedAt).toBeNull();
    expect((await listed()).tree.subagents).toBe(3);
    expect(Object.keys((await loadSnapshot(db(), rootId)).state.sessions)).toHaveLength(4);
  });

  it("a prompt after a revert makes it permanent: the archive keeps the reverted turn and sub-agents, marked", async () => {
    const second = await turn(2);
    await live.api.session.revert({ sessionId: rootId, messageId: second.userMessageId });
    await live.api.session.prompt({ sessionId: rootId, text: `Something else. ${marker("text")}` });
    await waitUntil(async () => (await db().turn.count({ where: { sessionId: rootId } })) === 3, 60_000, "the new turn");
    await waitForIdleTree(live.services, rootId, 60_000);
    await live.api.archive.sync({ sessionId: rootId });

    const tree = await loadArchivedTree(db(), rootId);
    const root = tree.sessions[rootId]!;
    expect(root.turns.map((t) => [t.index, Boolean(t.revertedAt)])).toEqual([
      [1, false],
      [2, true],
      [3, false],
    ]);
    expect(root.turns[1]!.messages.map((m) => m.role)).toContain("assistant");
    const reverted = Object.values(tree.sessions).filter((s) => s.revertedAt);
    expect(reverted.map((s) => s.title)).toHaveLength(2);
    // The archived page shows the reverted turn (its prompt) under "Reverted", after the kept ones.
    const html = renderToStaticMarkup(createElement(TreeConversation, { tree, session: root, options: { links: true } }));
    const section = html.indexOf('data-testid="archived-reverted"');
    expect(section).toBeGreaterThan(html.indexOf(marker("text")));
    expect(html.indexOf(marker("task", 2))).toBeGreaterThan(section);
    const { stats } = await live.api.archive.tree({ sessionId: rootId });
    expect(stats).toMatchObject({ turns: 2, subAgents: 1 });
    await expect(live.api.session.unrevert({ sessionId: rootId })).rejects.toThrow(/no revert to undo/);
  });

  it("a sub-agent the runner cannot revert is reported as failed and keeps no marker; the rest goes on", async () => {
    const [writer] = await subagents();
    // Gone from the runner behind the app's back (another client, a wiped data dir).
    const client = createRunnerClient((await live.services.runners.link(live.runnerId))!.endpoint, { directory: live.directory });
    await client.session.delete({ sessionID: writer!.opencodeId }, { throwOnError: true });
    const report = await live.api.session.revert({ sessionId: rootId, messageId: (await turn(1)).userMessageId });
    const failed = report.steps.find((s) => s.sessionId === writer!.id);
    expect(failed).toMatchObject({ action: "revert", ok: false, error: expect.stringMatching(/\S/) });
    expect(report.steps.at(-1)).toMatchObject({ sessionId: rootId, action: "revert", ok: true });
    expect((await db().session.findUniqueOrThrow({ where: { id: writer!.id } })).revertedAt).toBeNull();
    expect((await turn(1)).revertedAt).not.toBeNull();
  });

  it("reverting a running session aborts it first, then reverts it; nothing is left running", async () => {
    const { id } = await live.api.session.create({ runnerId: live.runnerId, directory: live.directory, title: "Busy" });
    await live.api.session.prompt({ sessionId: id, text: marker("hang") });
    // Once the answer streams (opencode misbehaves on an abort before that).
    await waitUntil(
      async () => (await db().part.count({ where: { sessionId: id, type: "text", text: { not: "" }, message: { role: "assistant" } } })) > 0,
      30_000,
      "the answer to start streaming",
    );
    const first = await db().turn.findFirstOrThrow({ where: { sessionId: id } });
    const report = await live.api.session.revert({ sessionId: id, messageId: first.userMessageId });
    expect(report.steps.map((s) => [s.action, s.ok, s.error])).toEqual([
      ["abort", true, undefined],
      ["revert", true, undefined],
    ]);
    const opencodeId = (await db().session.findUniqueOrThrow({ where: { id } })).opencodeId;
    expect((await runnerStatus())[opencodeId]?.type ?? "idle").toBe("idle");
    await waitUntil(async () => (await db().session.findUniqueOrThrow({ where: { id } })).status === "idle", 20_000, "the session to be idle");
    expect((await db().turn.findFirstOrThrow({ where: { sessionId: id } })).revertedAt).not.toBeNull();
  });
});
