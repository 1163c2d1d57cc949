import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { expect, it } from "vitest";
import { sample, sampleEvents } from "~/server/stream/fixtures/sample-stream";
import { applyEvent as fold, emptySnapshot } from "~/server/stream/materialize";
import { Normalizer } from "~/server/stream/normalizer";
import type { SessionEvent } from "~/server/stream/session-event";
import type { SessionView } from "~/server/stream/snapshot-state";
import { describeEachDatabase } from "~/server/testing/database";
import { hostileText } from "~/server/testing/hostile-text";
import { coalesceDeltas } from "./coalesce";
import { EventWriter } from "./event-writer";
import { FencedError, runnerFence } from "./fence";
import { loadSnapshot } from "./snapshot";

// What PostgreSQL refuses in text (NUL) and json (NUL, unpaired surrogates), and the escape.
const HOSTILE = " nul:\u0000 high:\uD800 low:\uDC00 escape:\uFDD0 pair:\uD83D\uDE00";

/** The sample run, with `extra` appended to every title, part text and streamed delta. */
function hostileEvents(extra = HOSTILE): SessionEvent[] {
  const normalizer = new Normalizer();
  return sampleEvents().flatMap((raw) => normalizer.push(appendText(raw, extra)).events);
}

function appendText(value: unknown, extra: string, key?: string): unknown {
  if (typeof value === "string") return ["title", "text", "delta"].includes(key ?? "") ? value + extra : value;
  if (Array.isArray(value)) return value.map((item) => appendText(item, extra));
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, appendText(v, extra, k)]));
}

describeEachDatabase("event writer", (database) => {
  /** Writes the sample run with `extra` in its texts; the tree as the archive and the live fold hold it. */
  async function writeAndRead(extra: string) {
    const db = database.client;
    const runner = await db.runner.create({ data: { name: `r-${randomUUID()}`, kind: "remote", url: "" } });
    const errors: unknown[] = [];
    const writer = new EventWriter(db, { runnerId: runner.id, directory: "/w", onCommitted: () => {}, onError: (error) => errors.push(error) });
    const events = hostileEvents(extra);
    writer.enqueue(events);
    await writer.flush();
    const root = await db.session.findUniqueOrThrow({ where: { runnerId_opencodeId: { runnerId: runner.id, opencodeId: sample.parent } } });
    const texts = (sessions: Record<string, SessionView | undefined>) =>
      [sample.parent, sample.child].map((id) => ({
        title: sessions[id]?.session?.title,
        parts: Object.fromEntries(Object.entries(sessions[id]?.parts ?? {}).map(([partId, p]) => [partId, p.text])),
      }));
    return {
      errors,
      archived: texts((await loadSnapshot(db, root.id)).state.sessions),
      live: texts(events.reduce(fold, emptySnapshot(sample.parent)).sessions),
    };
  }

  it("stores any text (arbitrary UTF-16 code units) and reads it back exactly", async () => {
    await fc.assert(
      fc.asyncProperty(hostileText(12), async (extra) => {
        const { errors, archived, live } = await writeAndRead(extra);
        expect(errors).toEqual([]);
        expect(archived).toEqual(live);
      }),
      { numRuns: 8 },
    );
  });

  it("stores titles and texts with NULs and unpaired surrogates and reads them back exactly", async () => {
    const { errors, archived, live } = await writeAndRead(HOSTILE);
    expect(errors).toEqual([]);
    expect(archived).toEqual(live);
    expect(archived[0]?.title).toContain(HOSTILE);
    expect(archived[0]?.parts[sample.finalTextPart]).toContain(HOSTILE);
  });

  it("dates each turn by the runner's clock: from its prompt to its last answer, however late it is written", async () => {
    const db = database.client;
    const runner = await db.runner.create({ data: { name: `r-${randomUUID()}`, kind: "remote", url: "" } });
    const writer = new EventWriter(db, { runnerId: runner.id, directory: "/w", onCommitted: () => {}, onError: () => {} });
    writer.enqueue(hostileEvents(""));
    await writer.flush();
    const turns = await db.turn.findMany({ where: { session: { runnerId: runner.id } }, include: { messages: true } });
    expect(turns.length).toBeGreaterThan(0);
    for (const turn of turns) {
      const prompt = turn.messages.find((m) => m.opencodeId === turn.userMessageId)!;
      const lastAnswer = Math.max(...turn.messages.flatMap((m) => (m.completedAt ? [m.completedAt.getTime()] : [])));
      expect(turn.status).toBe("completed");
      expect(turn.startedAt).toEqual(prompt.createdAt);
      expect(turn.endedAt!.getTime()).toBe(lastAnswer);
      // The sample was recorded long before this test wrote it.
      expect(turn.endedAt!.getTime()).toBeLessThan(Date.now() - 60_000);
    }
  });

  it("dates a tree's last activity by what its sessions did: not by the app's stall report, nor by a deletion", async () => {
    const db = database.client;
    const runner = await db.runner.create({ data: { name: `r-${randomUUID()}`, kind: "remote", url: "" } });
    const writer = new EventWriter(db, { runnerId: runner.id, directory: "/w", onCommitted: () => {}, onError: () => {} });
    const events = hostileEvents("");
    writer.enqueue(events);
    await writer.flush();
    const root = events[0]!.rootSessionId;
    const row = () => db.session.findFirstOrThrow({ where: { runnerId: runner.id, opencodeId: root } });
    const before = await row();
    const turn = events.find((e): e is Extract<SessionEvent, { kind: "turn.started" }> => e.kind === "turn.started")!;
    let seq = Math.max(...events.map((e) => e.seq));
    await new Promise((resolve) => setTimeout(resolve, 20));
    writer.enqueue([{ kind: "turn.stalled", rootSessionId: root, sessionId: root, turnId: turn.turnId, seq: ++seq, silentForMs: 180_000 }]);
    await writer.flush();
    writer.enqueue([{ kind: "session.deleted", rootSessionId: root, sessionId: root, seq: ++seq }]);
    await writer.flush();
    const after = await row();
    expect(after.status).toBe("stalled");
    expect(after.deletedAt).not.toBeNull();
    expect(after.lastSeq).toBe(seq);
    expect(after.lastActivityAt).toEqual(before.lastActivityAt);
    // The session's own event does date it.
    writer.enqueue([{ kind: "session.status", rootSessionId: root, sessionId: root, seq: ++seq, status: "running" }]);
    await writer.flush();
    expect((await row()).lastActivityAt.getTime()).toBeGreaterThan(before.lastActivityAt.getTime());
    // Its end does too; an idle said again (a reconcile after a restart) is not activity.
    await new Promise((resolve) => setTimeout(resolve, 20));
    writer.enqueue([{ kind: "session.status", rootSessionId: root, sessionId: root, seq: ++seq, status: "idle" }]);
    await writer.flush();
    const ended = await row();
    await new Promise((resolve) => setTimeout(resolve, 20));
    writer.enqueue([{ kind: "session.status", rootSessionId: root, sessionId: root, seq: ++seq, status: "idle" }]);
    await writer.flush();
    expect(ended.status).toBe("idle");
    expect((await row()).lastActivityAt).toEqual(ended.lastActivityAt);
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

  it("writes a backlog in bounded transactions, letting other queries in between, and stores it whole", async () => {
    const db = database.client;
    const runner = await db.runner.create({ data: { name: `r-${randomUUID()}`, kind: "remote", url: "" } });
    let commits = 0;
    const writer = new EventWriter(db, { runnerId: runner.id, directory: "/w", maxBatch: 5, onCommitted: () => commits++, onError: () => {} });
    const events = hostileEvents();
    writer.enqueue(events);
    let stored = false;
    const flushed = writer.flush().then(() => (stored = true));
    // A query asked while the backlog is written (a page opening) is answered before it ends.
    await db.$queryRaw`SELECT 1`;
    expect(stored).toBe(false);
    await flushed;

    // Bounded by what a transaction writes: deltas to one part in a row are one write.
    expect(commits).toBeGreaterThanOrEqual(Math.ceil(coalesceDeltas(events).length / 5));
    const root = await db.session.findUniqueOrThrow({ where: { runnerId_opencodeId: { runnerId: runner.id, opencodeId: sample.parent } } });
    expect(root.lastSeq).toBe(events.at(-1)!.seq);
    const archived = (await loadSnapshot(db, root.id)).state.sessions[sample.parent]?.parts;
    expect(archived).toEqual(events.reduce(fold, emptySnapshot(sample.parent)).sessions[sample.parent]?.parts);
  });

  it("writes a burst of thousands of deltas to one part in one transaction, and its text whole", async () => {
    const db = database.client;
    const runner = await db.runner.create({ data: { name: `r-${randomUUID()}`, kind: "remote", url: "" } });
    let commits = 0;
    const writer = new EventWriter(db, { runnerId: runner.id, directory: "/w", maxBatch: 5, onCommitted: () => commits++, onError: () => {} });
    const events = hostileEvents("");
    writer.enqueue(events);
    await writer.flush();
    const last = events.findLast((e): e is Extract<SessionEvent, { kind: "part.delta" }> => e.kind === "part.delta")!;
    const burst = Array.from({ length: 3_000 }, (_, i): SessionEvent => ({ ...last, seq: events.at(-1)!.seq + 1 + i, delta: `${i} ` }));
    commits = 0;
    writer.enqueue(burst);
    await writer.flush();

    expect(commits).toBe(1);
    const root = await db.session.findUniqueOrThrow({ where: { runnerId_opencodeId: { runnerId: runner.id, opencodeId: sample.parent } } });
    expect(root.lastSeq).toBe(burst.at(-1)!.seq);
    const stored = (await loadSnapshot(db, root.id)).state.sessions[last.sessionId]?.parts[last.partId]?.text;
    expect(stored).toBe([...events, ...burst].reduce(fold, emptySnapshot(sample.parent)).sessions[last.sessionId]?.parts[last.partId]?.text);
    expect(stored).toMatch(/ 2999 $/);
  });

  it("writes nothing once its fence refuses (another instance owns the runner), and says so once", async () => {
    const db = database.client;
    const runner = await db.runner.create({ data: { name: `r-${randomUUID()}`, kind: "remote", url: "", ownerEpoch: 1 } });
    const fenced: string[] = [];
    const errors: unknown[] = [];
    const options = { runnerId: runner.id, directory: "/w", onCommitted: () => {}, onError: (error: unknown) => errors.push(error) };
    const owner = new EventWriter(db, { ...options, fence: runnerFence(runner.id, 1), onFenced: (e) => fenced.push(e.message) });
    const [first, ...rest] = sampleEvents().flatMap((raw) => new Normalizer().push(raw).events);
    owner.enqueue([first!]);
    await owner.flush();
    expect(await db.session.count({ where: { runnerId: runner.id } })).toBe(1);
    // A new owner takes the runner over: the former one's writes and reservations are refused.
    await db.runner.update({ where: { id: runner.id }, data: { ownerEpoch: 2 } });
    owner.enqueue(rest);
    await owner.flush();
    await expect(owner.reserveSeqs(sample.parent, 10_000)).rejects.toBeInstanceOf(FencedError);
    owner.enqueue(rest);
    await owner.flush();
    expect(fenced).toHaveLength(1);
    expect(fenced[0]).toMatch(/no longer owns runner .* \(epoch 1, now 2\)/);
    expect(errors).toEqual([]);
    expect(await db.message.count({ where: { session: { runnerId: runner.id } } })).toBe(0);
    const root = await db.session.findFirstOrThrow({ where: { runnerId: runner.id } });
    expect(root.archiveState).not.toBe("failed");
    expect(root.seqReserved).toBe(0);
  });
});
