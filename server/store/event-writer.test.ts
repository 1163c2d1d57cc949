import { randomUUID } from "node:crypto";
import { expect, it } from "vitest";
import { sample, sampleEvents } from "~/server/stream/fixtures/sample-stream";
import { applyEvent as fold, emptySnapshot } from "~/server/stream/materialize";
import { Normalizer } from "~/server/stream/normalizer";
import type { SessionEvent } from "~/server/stream/session-event";
import { describeEachDatabase } from "~/server/testing/database";
import { EventWriter } from "./event-writer";
import { loadSnapshot } from "./snapshot";

// What PostgreSQL refuses in text (NUL) and json (NUL, unpaired surrogates), and the escape.
const HOSTILE = " nul:\u0000 high:\uD800 low:\uDC00 escape:\uFDD0 pair:\uD83D\uDE00";

/** The sample run, with hostile text appended to every title, part text and streamed delta. */
function hostileEvents(): SessionEvent[] {
  const normalizer = new Normalizer();
  return sampleEvents().flatMap((raw) => normalizer.push(appendHostile(raw)).events);
}

function appendHostile(value: unknown, key?: string): unknown {
  if (typeof value === "string") return ["title", "text", "delta"].includes(key ?? "") ? value + HOSTILE : value;
  if (Array.isArray(value)) return value.map((item) => appendHostile(item));
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, appendHostile(v, k)]));
}

describeEachDatabase("event writer", (database) => {
  it("stores titles and texts with NULs and unpaired surrogates and reads them back exactly", async () => {
    const db = database.client;
    const runner = await db.runner.create({ data: { name: `r-${randomUUID()}`, kind: "remote", url: "" } });
    const errors: unknown[] = [];
    const writer = new EventWriter(db, {
      runnerId: runner.id,
      directory: "/w",
      onCommitted: () => {},
      onError: (error) => errors.push(error),
    });
    const events = hostileEvents();
    writer.enqueue(events);
    await writer.flush();
    expect(errors).toEqual([]);

    const live = events.reduce(fold, emptySnapshot(sample.parent)).sessions;
    const root = await db.session.findUniqueOrThrow({ where: { runnerId_opencodeId: { runnerId: runner.id, opencodeId: sample.parent } } });
    expect(root.title).toContain(HOSTILE);
    expect(root.archiveState).not.toBe("failed");
    const archived = (await loadSnapshot(db, root.id)).state.sessions;
    for (const id of [sample.parent, sample.child]) {
      expect(archived[id]?.session?.title).toBe(live[id]?.session?.title);
      const texts = (view: typeof live) => Object.fromEntries(Object.entries(view[id]?.parts ?? {}).map(([partId, p]) => [partId, p.text]));
      expect(texts(archived)).toEqual(texts(live));
    }
    expect(archived[sample.parent]?.parts[sample.finalTextPart]?.text).toContain(HOSTILE);
  });

  it("stores the rest of a batch when one event fails, and marks the tree failed with a one-line reason", async () => {
    const db = database.client;
    const runner = await db.runner.create({ data: { name: `r-${randomUUID()}`, kind: "remote", url: "" } });
    const writer = new EventWriter(db, { runnerId: runner.id, directory: "/w", onCommitted: () => {}, onError: () => {} });
    const events = hostileEvents();
    // A sub-agent created at a time no timestamp column holds: its event cannot be stored.
    const bad = events.findIndex((e) => e.kind === "session.upserted" && e.sessionId === sample.child);
    const broken = structuredClone(events);
    const upserted = broken[bad] as Extract<SessionEvent, { kind: "session.upserted" }>;
    upserted.session.createdAt = 8.64e16;
    writer.enqueue(broken);
    await writer.flush();

    const root = await db.session.findUniqueOrThrow({ where: { runnerId_opencodeId: { runnerId: runner.id, opencodeId: sample.parent } } });
    expect(root.title).toContain(HOSTILE);
    expect(root.archiveState).toBe("failed");
    expect(root.archiveError).toMatch(new RegExp(`^Could not store session.upserted #${upserted.seq}: [^\\n]+$`));
    expect(root.archiveError).not.toMatch(/invocation|prisma\./);
  });
});
