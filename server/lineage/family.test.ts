import { randomUUID } from "node:crypto";
import { expect, it } from "vitest";
import { describeEachDatabase } from "~/server/testing/database";
import { loadFamily } from "./family";
import { at, seedFamily } from "./fixture";

describeEachDatabase("lineage family", (database) => {
  it("the same family from every member: sub-agents, forks of forks, with links and usage", async () => {
    const s = await seedFamily(database.client);
    const family = await loadFamily(database.client, s.forkOfFork);
    const byTitle = Object.fromEntries(family!.map((m) => [m.title, m]));
    expect(Object.keys(byTitle).sort()).toEqual(["Child", "Fork", "Fork of fork", "Grandchild", "Reverted", "Root"]);
    expect(byTitle.Root).toMatchObject({ parentId: null, relation: null, agent: "build", cost: 0.5, durationMs: 50_000 });
    expect(byTitle.Root!.tokens.input).toBe(100);
    expect(byTitle.Child).toMatchObject({ parentId: s.root, relation: "subagent", turnIndex: 2, toolCallId: "call_1", agent: "general" });
    expect(byTitle.Grandchild).toMatchObject({ parentId: s.child, relation: "subagent", turnIndex: 1 });
    expect(byTitle.Reverted!.revertedAt).toEqual(at(60));
    expect(byTitle.Fork).toMatchObject({ parentId: s.root, relation: "fork", turnIndex: 2, revertedAt: null });
    expect(byTitle["Fork of fork"]).toMatchObject({ parentId: s.fork, relation: "fork", turnIndex: 1 });
    expect((await loadFamily(database.client, s.grandchild))!.map((m) => m.id).sort()).toEqual(family!.map((m) => m.id).sort());
    expect(await loadFamily(database.client, randomUUID())).toBeNull();
  });

});
