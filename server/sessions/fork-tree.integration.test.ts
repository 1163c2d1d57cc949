import { afterAll, beforeAll, expect, it } from "vitest";
import { marker } from "~/server/model/markers";
import { loadSnapshot } from "~/server/store/snapshot";
import { describeEachDatabase } from "~/server/testing/database";
import { startLive, waitForIdleTree, type Live } from "~/server/testing/live";

// opencode forks a session by copying its messages and parts as they are: the fork's `task`
// calls still name the source's sub-agents. Those stay in the source's tree; the fork's calls
// lead to them, and the fork is never made their parent.
describeEachDatabase("a fork of a tree with sub-agents, on the real runner", (database) => {
  let live: Live;
  beforeAll(async () => {
    live = await startLive(database.client);
  });
  afterAll(async () => live?.stop());

  const db = () => database.client;

  it("keeps the source's sub-agents in the source's tree and leads the fork's task calls to them", async () => {
    const { id } = await live.api.session.create({ runnerId: live.runnerId, directory: live.directory });
    await live.api.session.prompt({ sessionId: id, text: marker("task", "2") });
    await waitForIdleTree(live.services, id, 90_000);
    const source = await db().session.findMany({ where: { rootId: id }, select: { id: true, opencodeId: true } });
    expect(source).toHaveLength(3);
    const child = await db().sessionRelation.findFirstOrThrow({ where: { parentId: id, kind: "subagent" }, include: { child: true } });

    const fork = await live.api.session.fork({ sessionId: id });
    const forkRow = await db().session.findUniqueOrThrow({ where: { id: fork.id } });
    // Its own tree: the fork alone; the source's sub-agents keep their one parent.
    expect(await db().session.count({ where: { rootId: fork.id } })).toBe(1);
    expect(await db().sessionRelation.count({ where: { parentId: fork.id, kind: "subagent" } })).toBe(0);
    for (const s of source.filter((s) => s.id !== id)) {
      expect(await db().sessionRelation.count({ where: { childId: s.id, kind: "subagent" } })).toBe(1);
    }

    // The fork's copied task call names the source's child as where its sub-agent ran.
    const view = (await loadSnapshot(db(), fork.id)).state.sessions[forkRow.opencodeId]!;
    const task = Object.values(view.parts).find((p) => p.tool?.name === "task")?.tool;
    expect(task).toMatchObject({ sourceChildSessionId: child.child.opencodeId });
    expect(task?.childSessionId).toBeUndefined();

    // The dashboard says what it runs with: the source's agent and model.
    const listed = (await live.api.session.list({})).items.find((s) => s.id === fork.id);
    expect(listed).toMatchObject({ agent: "build", providerId: "flightdeck-demo", modelId: "demo" });
    // And the family says where it came from.
    const family = await live.api.session.tree({ sessionId: fork.id });
    expect(family.find((m) => m.id === fork.id)).toMatchObject({ relation: "fork", parentId: id, turnIndex: 1 });
  });
});
