import { randomUUID } from "node:crypto";
import { expect, it } from "vitest";
import { describeEachDatabase } from "~/server/testing/database";
import { at, seedFamily } from "./fixture";
import { loadTimeline } from "./timeline";

describeEachDatabase("lineage timeline", (database) => {
  it("the timeline: the root's turns newest first, paged by turn index, with usage and spawned sub-agents", async () => {
    const s = await seedFamily(database.client);
    const page1 = await loadTimeline(database.client, { sessionId: s.grandchild, limit: 1 });
    expect(page1).toMatchObject({ sessionId: s.root, turnCount: 2, nextCursor: 2 });
    expect(page1!.turns).toEqual([
      expect.objectContaining({
        index: 2,
        userMessageId: `msg_${s.root}_2`,
        durationMs: 30_000,
        tokens: { input: 42, output: 10 },
        subagents: [expect.objectContaining({ title: "Child" }), expect.objectContaining({ title: "Reverted", revertedAt: at(60) })],
      }),
    ]);
    const page2 = await loadTimeline(database.client, { sessionId: s.root, limit: 1, cursor: page1!.nextCursor! });
    expect(page2!.turns.map((t) => [t.index, t.tokens.input, t.subagents.length])).toEqual([[1, 30, 0]]);
    expect(page2!.nextCursor).toBeNull();
  });

  it("a null cursor is the first page (a live page's refetch sends it), and a tree deleted from its runner says so", async () => {
    const s = await seedFamily(database.client);
    const first = await loadTimeline(database.client, { sessionId: s.root, limit: 1, cursor: null });
    expect(first).toMatchObject({ turnCount: 2, nextCursor: 2, gone: false });
    expect(first!.turns.map((t) => t.index)).toEqual([2]);
    await database.client.session.update({ where: { id: s.root }, data: { deletedAt: at(90) } });
    expect(await loadTimeline(database.client, { sessionId: s.grandchild })).toMatchObject({ gone: true });
  });

  it("says which turns the runner never answered (a prompt queued behind a turn an abort ended)", async () => {
    const s = await seedFamily(database.client);
    await database.client.turn.create({
      data: { sessionId: s.root, index: 3, userMessageId: `msg_${s.root}_3`, status: "aborted", error: "Aborted", startedAt: at(55), endedAt: at(90) },
    });
    const { turns } = (await loadTimeline(database.client, { sessionId: s.root }))!;
    expect(turns.map((t) => [t.index, t.ran])).toEqual([[3, false], [2, true], [1, true]]);
  });

  it("no timeline for an unknown session", async () => {
    expect(await loadTimeline(database.client, { sessionId: randomUUID() })).toBeNull();
  });
});
