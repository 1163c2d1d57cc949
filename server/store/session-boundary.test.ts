import { randomUUID } from "node:crypto";
import { expect, it } from "vitest";
import { sample, sampleEvents } from "~/server/stream/fixtures/sample-stream";
import { applyEvent as fold, emptySnapshot } from "~/server/stream/materialize";
import { Normalizer } from "~/server/stream/normalizer";
import type { SessionEvent } from "~/server/stream/session-event";
import { turnIdOf } from "~/server/stream/turn-tracker";
import { describeEachDatabase } from "~/server/testing/database";
import { EventWriter } from "./event-writer";
import { loadSnapshot } from "./snapshot";

describeEachDatabase("the SessionBoundary row at turn boundaries", (database) => {
  it("is written at the turn start and when the session goes idle, and a snapshot carries what the live fold has", async () => {
    const db = database.client;
    const runner = await db.runner.create({ data: { name: `r-${randomUUID()}`, kind: "remote", url: "" } });
    const writer = new EventWriter(db, { runnerId: runner.id, directory: "/w", onCommitted: () => {}, onError: (error) => { throw error; } });
    const normalizer = new Normalizer();
    const events: SessionEvent[] = sampleEvents().flatMap((raw) => normalizer.push(raw).events);
    const started = events.findIndex((e) => e.kind === "turn.started" && e.sessionId === sample.parent);
    const turnId = turnIdOf(sample.parent, sample.parentUserMessage);

    let written = 0;
    /** Writes the events up to `last` (inclusive); the root's and the child's boundaries, archived and folded. */
    const boundaries = async (last: number) => {
      writer.enqueue(events.slice(written, last + 1));
      written = last + 1;
      await writer.flush();
      const root = await db.session.findUniqueOrThrow({ where: { runnerId_opencodeId: { runnerId: runner.id, opencodeId: sample.parent } } });
      const archived = (await loadSnapshot(db, root.id)).state.sessions;
      const live = events.slice(0, written).reduce(fold, emptySnapshot(sample.parent)).sessions;
      return { archived: archived[sample.parent]?.boundary, live: live[sample.parent]?.boundary, child: archived[sample.child]?.boundary };
    };

    const atStart = await boundaries(started);
    expect(atStart.archived).toMatchObject({ status: "running", currentTurnId: turnId, seq: events[started]!.seq });
    expect(atStart.archived).toEqual(atStart.live);

    const atEnd = await boundaries(events.length - 1);
    expect(atEnd.archived).toMatchObject({ status: "idle", currentTurnId: turnId, agent: "build" });
    expect(atEnd.archived?.usage.tokens.input).toBeGreaterThan(0);
    expect(atEnd.archived).toEqual(atEnd.live);
    // A sub-agent has its own row, with its own turn.
    expect(atEnd.child).toMatchObject({ status: "idle", currentTurnId: turnIdOf(sample.child, sample.childUserMessage) });
  });
});
