import { describe, expect, it } from "vitest";
import { sample, sampleEvents } from "~/server/stream/fixtures/sample-stream";
import { applyEvent, emptySnapshot, snapshotEvent } from "~/server/stream/materialize";
import { Normalizer } from "~/server/stream/normalizer";
import type { SessionEvent } from "~/server/stream/session-event";
import { conversationRows } from "~/components/session/rows";
import { applyBatch, initialLive, type LiveState } from "./fold";

const events = (() => {
  const normalizer = new Normalizer();
  return sampleEvents().flatMap((e) => normalizer.push(e).events);
})();
const wire = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
const reference = wire(events.reduce(applyEvent, emptySnapshot(sample.parent)));
const snapshotAt = (cut: number) => wire(snapshotEvent(events.slice(0, cut).reduce(applyEvent, emptySnapshot(sample.parent)), cut === 0 ? 0 : events[cut - 1]!.seq));

function inBatches(list: SessionEvent[], size: number, start: LiveState = initialLive): LiveState {
  let live = start;
  for (let i = 0; i < list.length; i += size) live = applyBatch(live, list.slice(i, i + size));
  return live;
}

describe("the browser's fold of a live session stream", () => {
  it("equals the server's materialized state, whatever the batch size", () => {
    for (const size of [1, 3, 50, events.length]) {
      const live = inBatches([snapshotAt(0), ...events], size);
      expect(wire(live.tree)).toEqual(reference);
      expect(live.seq).toBe(events.at(-1)!.seq);
    }
  });

  it("skips events replayed after a reconnect, so no text is doubled", () => {
    const cut = events.findIndex((e) => e.kind === "part.delta") + 5;
    const first = inBatches([snapshotAt(0), ...events.slice(0, cut)], 4);
    // The server resends from an older id (and a duplicate of the last one).
    const again = inBatches(events.slice(cut - 6), 7, first);
    expect(wire(again.tree)).toEqual(reference);
    const text = again.tree!.sessions[sample.parent]!.parts[sample.finalTextPart]!.text;
    expect(text).toBe("Done after tool. ".repeat(5) + " ");
  });

  it("starts over from a snapshot received mid-stream (too far behind for the buffer)", () => {
    const early = inBatches([snapshotAt(0), ...events.slice(0, 10)], 5);
    const cut = events.length - 20;
    const resumed = inBatches([snapshotAt(cut), ...events.slice(cut)], 6, early);
    expect(wire(resumed.tree)).toEqual(reference);
  });

  it("never mutates the state it was given, and keeps untouched parts identical", () => {
    const cut = events.findIndex((e) => e.kind === "part.delta" && e.partId === sample.finalTextPart);
    const before = inBatches([snapshotAt(0), ...events.slice(0, cut)], 1000);
    const frozen = wire(before.tree);
    const after = applyBatch(before, events.slice(cut, cut + 3));
    expect(wire(before.tree)).toEqual(frozen);
    const parentBefore = before.tree!.sessions[sample.parent]!;
    const parentAfter = after.tree!.sessions[sample.parent]!;
    expect(parentAfter).not.toBe(parentBefore);
    expect(parentAfter.parts[sample.taskPart]).toBe(parentBefore.parts[sample.taskPart]);
    expect(after.tree!.sessions[sample.child]).toBe(before.tree!.sessions[sample.child]);
  });

  it("remembers answered permission requests with what they asked", () => {
    const S = sample.parent;
    const live = inBatches([snapshotAt(events.length), ...[
      { kind: "permission.asked", rootSessionId: S, sessionId: S, seq: 1000, request: { id: "per_1", permission: "bash", patterns: ["echo hi"], always: [], metadata: { command: "echo hi" } } },
      { kind: "permission.replied", rootSessionId: S, sessionId: S, seq: 1001, requestId: "per_1", reply: "once" },
    ] as SessionEvent[]], 1);
    expect(live.tree!.sessions[S]!.permissions).toEqual({});
    expect(live.replied.per_1).toMatchObject({ reply: "once", kind: "permission", request: { permission: "bash" } });
  });

  it("marks prompts the runner wrote itself (all parts hidden) as automatic, and keeps compaction prompts", () => {
    const view = structuredClone(reference.sessions[sample.parent]!);
    const prompt = view.parts[Object.keys(view.parts).find((id) => view.parts[id]!.messageId === sample.parentUserMessage)!]!;
    const addTurn = (n: number, part: Partial<typeof prompt>) => {
      const messageId = `msg_zz${n}`;
      view.turns.push({ id: `${sample.parent}:${messageId}`, index: view.turns.length + 1, userMessageId: messageId, stalled: false });
      view.messages[messageId] = { ...view.messages[sample.parentUserMessage]!, id: messageId, turnId: `${sample.parent}:${messageId}` };
      view.parts[`prt_zz${n}`] = { ...prompt, ...part, id: `prt_zz${n}`, messageId, turnId: `${sample.parent}:${messageId}` };
    };
    addTurn(1, { type: "compaction", text: undefined, data: { type: "compaction", auto: true } });
    addTurn(2, { text: "Continue if you have next steps", data: { ...prompt.data, synthetic: true } });
    const prompts = conversationRows(view).filter((r) => r.kind === "prompt");
    expect(prompts.map((r) => [r.parts.map((p) => p.type), r.automatic])).toEqual([
      [["text"], false],
      [["compaction"], false],
      [[], true],
    ]);
  });

  it("flattens the sample run into prompt, text, tool and usage rows in order", () => {
    const rows = conversationRows(reference.sessions[sample.parent]!);
    expect(rows[0]).toMatchObject({ kind: "prompt" });
    const kinds = rows.map((r) => (r.kind === "part" ? r.part.type : r.kind));
    expect(kinds).toContain("tool");
    expect(kinds.at(-1)).toBe("step-finish");
    const task = rows.find((r) => r.kind === "part" && r.part.tool?.name === "task");
    expect(task && task.kind === "part" && task.part.tool?.childSessionId).toBe(sample.child);
  });

  it("knows when the tree last showed life: from a snapshot's content, then from each event's arrival, never from a stall warning", () => {
    const whole = wire(snapshotEvent(reference, events.at(-1)!.seq));
    const fromSnapshot = applyBatch(initialLive, [whole], 9e15);
    const times = Object.values(reference.sessions).flatMap((v) => [
      ...Object.values(v.messages).flatMap((m) => [m.createdAt, m.completedAt]),
      ...Object.values(v.parts).flatMap((p) => [p.startedAt, p.endedAt, p.tool?.startedAt, p.tool?.endedAt]),
    ]);
    expect(fromSnapshot.lastEventAt).toBe(Math.max(...times.filter((t): t is number => t !== undefined)));
    const seq = whole.seq;
    const turnId = reference.sessions[sample.parent]!.turns[0]!.id;
    const base = { rootSessionId: sample.parent, sessionId: sample.parent };
    const alive = applyBatch(fromSnapshot, [{ ...base, seq: seq + 1, kind: "session.status", status: "running" }], 5_000);
    expect(alive.lastEventAt).toBe(5_000);
    const warned = applyBatch(alive, [{ ...base, seq: seq + 2, kind: "turn.stalled", turnId, silentForMs: 30_000 }], 40_000);
    expect(warned.lastEventAt).toBe(5_000);
    expect(warned.tree!.sessions[sample.parent]!.status).toBe("stalled");
  });
});
