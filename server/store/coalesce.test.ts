import { describe, expect, it } from "vitest";
import { coalesceDeltas, latestUpserts, writeRuns } from "./coalesce";
import type { SessionEvent } from "~/server/stream/session-event";

const base = { rootSessionId: "ses_r", sessionId: "ses_r", turnId: "ses_r:msg_u", messageId: "msg_a" };
const delta = (seq: number, partId: string, delta: string): SessionEvent => ({
  kind: "part.delta",
  ...base,
  seq,
  partId,
  field: "text",
  delta,
});

describe("coalesceDeltas", () => {
  it("joins consecutive deltas of one part and keeps the last seq", () => {
    const out = coalesceDeltas([delta(1, "p1", "Hel"), delta(2, "p1", "lo"), delta(3, "p1", "!")]);
    expect(out).toEqual([{ ...delta(3, "p1", "Hello!"), fromSeq: 1 }]);
  });

  it("keeps interleaved parts and other events in order", () => {
    const status: SessionEvent = { kind: "session.status", rootSessionId: "ses_r", sessionId: "ses_r", seq: 3, status: "running" };
    const out = coalesceDeltas([delta(1, "p1", "a"), delta(2, "p2", "b"), status, delta(4, "p1", "c"), delta(5, "p1", "d")]);
    expect(out.map((e) => (e.kind === "part.delta" ? `${e.partId}:${e.delta}` : e.kind))).toEqual([
      "p1:a",
      "p2:b",
      "session.status",
      "p1:cd",
    ]);
    expect(out.at(-1)).toMatchObject({ seq: 5, fromSeq: 4 });
  });
});

describe("writeRuns", () => {
  const status = (seq: number): SessionEvent => ({ kind: "session.status", rootSessionId: "ses_r", sessionId: "ses_r", seq, status: "running" });

  it("keeps a burst of deltas to one part in one run, however long", () => {
    const burst = Array.from({ length: 5_000 }, (_, i) => delta(i + 1, "p1", `${i} `));
    expect([...writeRuns(burst, 200)]).toEqual([burst]);
  });

  it("cuts between events so each run coalesces to at most max events, in order and whole", () => {
    const events = [delta(1, "p1", "a"), delta(2, "p1", "b"), delta(3, "p2", "c"), status(4), delta(5, "p1", "d"), delta(6, "p1", "e"), status(7)];
    const runs = [...writeRuns(events, 2)];
    expect(runs.map((run) => run.map((e) => e.seq))).toEqual([[1, 2, 3], [4, 5, 6], [7]]);
    expect(runs.every((run) => coalesceDeltas(run).length <= 2)).toBe(true);
    expect([...writeRuns([], 2)]).toEqual([]);
  });
});

describe("latestUpserts", () => {
  const upsert = (seq: number, partId: string, status: string): SessionEvent =>
    ({
      kind: "part.upserted",
      rootSessionId: "ses_r",
      sessionId: "ses_r",
      seq,
      turnId: "ses_r:msg_u",
      messageId: "msg_a",
      part: { id: partId, type: "tool", data: { status } },
    }) as unknown as SessionEvent;

  it("keeps only the last upsert of each part, where it came, and every other event", () => {
    const events = [upsert(1, "p1", "pending"), upsert(2, "p2", "pending"), delta(3, "p3", "x"), upsert(4, "p1", "running"), upsert(5, "p1", "completed")];
    expect(latestUpserts(events).map((e) => e.seq)).toEqual([2, 3, 5]);
  });
});
