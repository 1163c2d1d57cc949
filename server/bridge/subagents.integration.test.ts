import { afterAll, beforeAll, expect, it } from "vitest";
import { firstSeq } from "~/server/hub/ring-buffer";
import { describeEachDatabase } from "~/server/testing/database";
import { sessionEvents, startLive, waitForIdleTree, type Live } from "~/server/testing/live";
import { marker } from "~/server/model/markers";
import type { SessionEvent } from "~/server/stream";

describeEachDatabase("live bridge through the real opencode runner", (database) => {
  let live: Live;
  let depth2: Run;
  let parallel: Run;
  beforeAll(async () => {
    live = await startLive(database.client);
    depth2 = await run(`Delegate this. ${marker("task", 2)}`);
    parallel = await run(`Split it. ${marker("parallel")}`);
  }, 180_000);
  afterAll(async () => live?.stop());

  type Run = Awaited<ReturnType<typeof run>>;

  async function run(prompt: string) {
    const { id } = await live.api.session.create({ runnerId: live.runnerId, directory: live.directory, title: prompt });
    const events: SessionEvent[] = [];
    const ac = new AbortController();
    const consuming = (async () => {
      for await (const data of sessionEvents(live, id, null, ac.signal)) events.push(data);
    })().catch(() => undefined);
    await live.api.session.prompt({ sessionId: id, text: prompt });
    await waitForIdleTree(live.services, id);
    await live.services.bridges.find(live.runnerId, live.directory)!.settle();
    ac.abort();
    await consuming;
    return { id, events };
  }

  it("links a depth-2 sub-agent tree to the tool calls and turns that spawned it, in seq order", async () => {
    const { id, events } = depth2;
    const { db } = live.services;
    const root = await db.session.findUniqueOrThrow({ where: { id } });
    const tree = await db.session.findMany({ where: { rootId: root.id }, include: { parents: true } });
    expect(tree).toHaveLength(3);

    const relations = await db.sessionRelation.findMany({
      where: { kind: "subagent", parent: { rootId: root.id } },
      include: { turn: true },
    });
    expect(relations).toHaveLength(2);
    for (const relation of relations) {
      const span = await db.toolSpan.findFirstOrThrow({ where: { childSessionId: relation.childId } });
      expect(span).toMatchObject({ tool: "task", sessionId: relation.parentId, callId: relation.toolCallId, status: "completed" });
      expect(relation.turn?.sessionId).toBe(relation.parentId);
      expect(span.turnId).toBe(relation.turnId);
    }
    // child → grandchild: the grandchild's parent is the child, whose parent is the root.
    const child = relations.find((r) => r.parentId === root.id)!;
    expect(relations.some((r) => r.parentId === child.childId)).toBe(true);
    // The grandchild's own tool call completed too.
    const grandchild = relations.find((r) => r.parentId === child.childId)!;
    expect(await db.toolSpan.count({ where: { sessionId: grandchild.childId, status: "completed" } })).toBeGreaterThan(0);

    // One stream for the whole tree: a snapshot, then every event exactly once, in order.
    expect(events[0]?.kind).toBe("snapshot");
    // (A merged delta stands for every seq from its fromSeq to its seq.)
    const seqs = events.slice(1).flatMap((e) => {
      const first = firstSeq(e);
      return Array.from({ length: e.seq - first + 1 }, (_, i) => first + i);
    });
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => events[0]!.seq + 1 + i));
    expect(new Set(events.map((e) => e.sessionId)).size).toBe(3);
  });

  it("links two parallel sub-agents to their own tool calls", async () => {
    const { id } = parallel;
    const { db } = live.services;
    const relations = await db.sessionRelation.findMany({ where: { parentId: id, kind: "subagent" } });
    expect(relations).toHaveLength(2);
    // Each child under its own task call, both in the parent's one turn.
    const turn = await db.turn.findFirstOrThrow({ where: { sessionId: id, index: 1 } });
    const spans = await db.toolSpan.findMany({ where: { sessionId: id, tool: "task" } });
    expect(relations.map((r) => ({ child: r.childId, call: r.toolCallId, turn: r.turnId })).sort((a, b) => a.child.localeCompare(b.child))).toEqual(
      spans.map((s) => ({ child: s.childSessionId, call: s.callId, turn: turn.id })).sort((a, b) => a.child!.localeCompare(b.child!)),
    );
    expect(new Set(relations.map((r) => r.toolCallId)).size).toBe(2);
  });

  it("archive sync writes the same sub-agent relations the live path did, and a second sync changes nothing", async () => {
    const { db } = live.services;
    const root = await db.session.findUniqueOrThrow({ where: { id: depth2.id } });
    const relations = () =>
      db.sessionRelation.findMany({
        where: { child: { rootId: root.id } },
        select: { parentId: true, childId: true, kind: true, toolCallId: true, turnId: true },
        orderBy: { childId: "asc" },
      });
    const seen = await relations();
    expect(seen.map((r) => r.kind)).toEqual(["subagent", "subagent"]);

    // As if the live path had lost the task parts: the sync takes them from the runner.
    await db.sessionRelation.deleteMany({ where: { child: { rootId: root.id } } });
    await db.part.deleteMany({ where: { session: { rootId: root.id }, toolSpan: { tool: "task" } } });
    expect((await live.api.archive.sync({ sessionId: root.id })).changes).toBeGreaterThan(0);
    expect(await relations()).toEqual(seen);
    expect((await live.api.archive.sync({ sessionId: root.id })).changes).toBe(0);
    expect(await relations()).toEqual(seen);
  });
});
