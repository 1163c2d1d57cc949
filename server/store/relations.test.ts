import { randomUUID } from "node:crypto";
import { expect, it } from "vitest";
import { sample, sampleEvents } from "~/server/stream/fixtures/sample-stream";
import { Normalizer } from "~/server/stream/normalizer";
import type { SessionEvent } from "~/server/stream/session-event";
import { describeEachDatabase } from "~/server/testing/database";
import { EventWriter } from "./event-writer";

// The live runner always sends the parent's task part before the child's first events, so the
// other order is replayed from a recorded run: a sub-agent is linked whichever side comes first.

const recorded = (): SessionEvent[] => {
  const normalizer = new Normalizer();
  return sampleEvents().flatMap((raw) => normalizer.push(raw).events);
};
const spawns = (e: SessionEvent) => e.kind === "part.upserted" && e.part.tool?.childSessionId !== undefined;

describeEachDatabase("sub-agent relations", (database) => {
  async function write(events: SessionEvent[]) {
    const db = database.client;
    const runner = await db.runner.create({ data: { name: `r-${randomUUID()}`, kind: "remote", url: "" } });
    const writer = new EventWriter(db, { runnerId: runner.id, directory: "/w", onCommitted: () => {}, onError: (error) => { throw error; } });
    writer.enqueue(events);
    await writer.flush();
    const row = (opencodeId: string) => db.session.findUniqueOrThrow({ where: { runnerId_opencodeId: { runnerId: runner.id, opencodeId } } });
    const [parent, child] = [await row(sample.parent), await row(sample.child)];
    const relations = await db.sessionRelation.findMany({ where: { childId: child.id }, include: { turn: true } });
    return { parent, relations };
  }

  const expected = (parentId: string) => [
    expect.objectContaining({ parentId, kind: "subagent", toolCallId: sample.taskCallId, turn: expect.objectContaining({ sessionId: parentId, userMessageId: sample.parentUserMessage }) }),
  ];

  it("links a child seen before its parent's task part once the part arrives", async () => {
    const events = recorded();
    const childFirst = [...events.filter((e) => !spawns(e)), ...events.filter(spawns)];
    const { parent, relations } = await write(childFirst);
    expect(relations).toEqual(expected(parent.id));
  });

  it("keeps the tool call and turn when the child's own info comes after the task part", async () => {
    const events = recorded();
    const childInfo = (e: SessionEvent) => e.kind === "session.upserted" && e.sessionId === sample.child;
    const { parent, relations } = await write([...events.filter((e) => !childInfo(e)), ...events.filter(childInfo)]);
    expect(relations).toEqual(expected(parent.id));
  });
});
