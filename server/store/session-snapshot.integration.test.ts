import { afterAll, beforeAll, expect, it } from "vitest";
import { marker } from "~/server/model/markers";
import { DEMO_TODOS } from "~/server/model/scenarios";
import type { SessionEvent } from "~/server/stream";
import { turnIdOf } from "~/server/stream/turn-tracker";
import { describeEachDatabase } from "~/server/testing/database";
import { sessionEvents, startLive, waitForIdleTree, waitUntil, type Live } from "~/server/testing/live";

// One tree grown once: a todo list in turn 1, a sub-agent in turn 2; then a fork and a fork of it.
describeEachDatabase("the session's boundary row, its stream snapshot and fork lineage through the real runner", (database) => {
  let live: Live;
  let id: string;
  let opencodeId: string;
  const db = () => live.services.db;

  beforeAll(async () => {
    // A tiny buffer: a viewer that reconnects from seq 1 is too far behind and gets a snapshot.
    live = await startLive(database.client, { streamBuffer: 4 });
    ({ id, opencodeId } = await live.api.session.create({ runnerId: live.runnerId, directory: live.directory, title: "Snapshot" }));
    for (const [index, text] of [`Plan it. ${marker("todo")}`, `Delegate. ${marker("task")}`].entries()) {
      await live.api.session.prompt({ sessionId: id, text });
      await waitUntil(async () => (await db().turn.count({ where: { sessionId: id, index: index + 1 } })) > 0, 30_000, `turn ${index + 1}`);
      await waitForIdleTree(live.services, id);
      await live.services.bridges.find(live.runnerId, live.directory)!.settle();
    }
  }, 180_000);
  afterAll(async () => live?.stop());

  /** The first event a viewer gets when it (re)connects with `lastEventId`. */
  async function firstEvent(lastEventId: string | null): Promise<SessionEvent> {
    const ac = new AbortController();
    try {
      for await (const event of sessionEvents(live, id, lastEventId, ac.signal)) return event;
      throw new Error("the stream ended without an event");
    } finally {
      ac.abort();
    }
  }

  it("keeps the row of the last turn boundary: idle, the turn just ended, usage totals, todos, agent and model", async () => {
    const row = await db().sessionBoundary.findUniqueOrThrow({ where: { sessionId: id }, include: { currentTurn: true } });
    const messages = await db().message.findMany({ where: { sessionId: id }, orderBy: { opencodeId: "asc" } });
    const last = messages.filter((m) => m.role === "assistant").at(-1)!;
    expect(row).toMatchObject({ status: "idle", currentTurn: { index: 2 }, agent: last.agent, providerId: "flightdeck-demo", modelId: "demo" });
    expect(row.agent).toBeTruthy();
    expect(row.usage).toEqual({
      tokens: {
        input: messages.reduce((n, m) => n + m.tokensInput, 0),
        output: messages.reduce((n, m) => n + m.tokensOutput, 0),
        reasoning: messages.reduce((n, m) => n + m.tokensReasoning, 0),
        cacheRead: messages.reduce((n, m) => n + m.tokensCacheRead, 0),
        cacheWrite: messages.reduce((n, m) => n + m.tokensCacheWrite, 0),
      },
      cost: messages.reduce((n, m) => n + m.cost, 0),
    });
    expect((row.usage as { tokens: { output: number } }).tokens.output).toBeGreaterThan(0);
    expect(row.todos).toEqual(DEMO_TODOS.map((todo) => expect.objectContaining(todo)));
  });

  it("stores an answer's text once, in its text column, and gives its part whole to a viewer", async () => {
    const answers = await db().part.findMany({ where: { sessionId: id, type: "text", message: { role: "assistant" } } });
    expect(answers.length).toBeGreaterThan(0);
    const first = await firstEvent(null);
    if (first.kind !== "snapshot") throw new Error(`expected a snapshot first, got ${first.kind}`);
    let shown = 0;
    for (const row of answers) {
      expect(row.text).toBeTruthy();
      // Not a second copy in the raw data (a 16 MB answer was written twice).
      expect(row.data).not.toHaveProperty("text");
      const part = first.state.sessions[opencodeId]?.parts[row.opencodeId];
      if (!part) continue; // older than the snapshot's window
      expect(part.text).toBe(row.text);
      expect((part.data as { text?: unknown }).text).toBe(row.text);
      shown++;
    }
    expect(shown).toBeGreaterThan(0);
  });

  it("sends it first to a new viewer and to one too far behind, for the root and its sub-agent", async () => {
    const turn = await db().turn.findFirstOrThrow({ where: { sessionId: id, index: 2 } });
    const row = await db().sessionBoundary.findUniqueOrThrow({ where: { sessionId: id } });
    const child = await db().sessionRelation.findFirstOrThrow({ where: { parentId: id, kind: "subagent" }, include: { child: true } });
    for (const lastEventId of [null, "1"]) {
      const first = await firstEvent(lastEventId);
      if (first.kind !== "snapshot") throw new Error(`expected a snapshot first, got ${first.kind}`);
      const root = first.state.sessions[opencodeId]!;
      expect(root.boundary).toEqual({
        seq: row.seq,
        status: "idle",
        currentTurnId: turnIdOf(opencodeId, turn.userMessageId),
        usage: row.usage,
        agent: row.agent,
        providerId: "flightdeck-demo",
        modelId: "demo",
      });
      expect(root.todos).toEqual(DEMO_TODOS.map((todo) => expect.objectContaining(todo)));
      expect(first.state.sessions[child.child.opencodeId]?.boundary).toMatchObject({ status: "idle", modelId: "demo" });
    }
  });

  it("records a fork's source turn and message, and a fork of the fork its own", async () => {
    const [first, second] = await db().turn.findMany({ where: { sessionId: id }, orderBy: { index: "asc" }, include: { messages: { orderBy: { opencodeId: "asc" } } } });
    // Forked before turn 2's prompt: the fork holds turn 1, up to its last message.
    const fork = await live.api.session.fork({ sessionId: id, messageId: second!.userMessageId });
    const forkOfFork = await live.api.archive.fork({ sessionId: fork.id });
    const relations = await db().sessionRelation.findMany({ where: { kind: "fork", childId: { in: [fork.id, forkOfFork.id] } }, include: { turn: true } });
    const lastOfFork = await db().message.findFirstOrThrow({ where: { sessionId: fork.id }, orderBy: { opencodeId: "desc" }, include: { turn: true } });
    expect(relations).toEqual(expect.arrayContaining([
      expect.objectContaining({ parentId: id, childId: fork.id, messageId: first!.messages.at(-1)!.opencodeId, turn: expect.objectContaining({ id: first!.id, index: 1 }) }),
      expect.objectContaining({ parentId: fork.id, childId: forkOfFork.id, messageId: lastOfFork.opencodeId, turn: expect.objectContaining({ id: lastOfFork.turnId, index: 1 }) }),
    ]));
    expect(relations).toHaveLength(2);
  });
});
