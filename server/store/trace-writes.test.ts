import { randomUUID } from "node:crypto";
import { expect, it } from "vitest";
import { sample, sampleEvents } from "~/server/stream/fixtures/sample-stream";
import { Normalizer } from "~/server/stream/normalizer";
import { describeEachDatabase } from "~/server/testing/database";
import { buildSpans } from "~/server/traces/build";
import { loadTraceRows } from "~/server/traces/rows";
import { EventWriter } from "./event-writer";

// A recorded run with a retry of the model call spliced in where the parent's first step
// starts: the retry is a span of its own under the turn, from the retry status to the next.
const status = (status: Record<string, unknown>) => ({ type: "session.status", properties: { sessionID: sample.parent, status } });

describeEachDatabase("trace writes", (database) => {
  it("records a retry of the model call as a span, closed by the next status", async () => {
    const raw = sampleEvents();
    const firstStep = raw.findIndex((e) => JSON.stringify(e).includes('"type":"step-start"'));
    raw.splice(firstStep, 0, status({ type: "retry", attempt: 1, message: "Rate limited: retrying in 2 s", next: Date.now() + 2000 }), status({ type: "busy" }));
    const normalizer = new Normalizer();
    const events = raw.flatMap((e) => normalizer.push(e).events);

    const db = database.client;
    const runner = await db.runner.create({ data: { name: `r-${randomUUID()}`, kind: "remote", url: "" } });
    const writer = new EventWriter(db, { runnerId: runner.id, directory: "/w", onCommitted: () => {}, onError: (error) => { throw error; } });
    writer.enqueue(events);
    await writer.flush();

    const root = await db.session.findUniqueOrThrow({ where: { runnerId_opencodeId: { runnerId: runner.id, opencodeId: sample.parent } } });
    const spans = buildSpans(await loadTraceRows(db, root.id));
    const retry = spans.find((s) => s.kind === "retry");
    expect(retry).toMatchObject({ name: "retry", detail: "Rate limited: retrying in 2 s", status: "completed", sessionId: root.id });
    expect(spans.find((s) => s.id === retry!.parentId)).toMatchObject({ kind: "turn", name: "Turn 1" });
    // The rest of the run is untouched: the sub-agent still nests under the task call.
    const task = spans.find((s) => s.kind === "subagent");
    expect(spans.filter((s) => s.parentId === task?.id).map((s) => s.kind)).toEqual(["turn"]);
    expect(spans.every((s) => s.endMs !== null)).toBe(true);
  });
});
