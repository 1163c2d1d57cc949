import { describe, expect, it } from "vitest";
import { ofKind } from "./fixtures/events";
import { sample, sampleEvents } from "./fixtures/sample-stream";
import { Normalizer } from "./normalizer";
import type { SessionEvent } from "./session-event";
import { turnIdOf } from "./turn-tracker";

function replay() {
  const normalizer = new Normalizer();
  const events: SessionEvent[] = [];
  const rejected = [];
  let ignored = 0;
  for (const raw of sampleEvents()) {
    const result = normalizer.push(raw);
    events.push(...result.events);
    rejected.push(...result.rejected);
    if (result.ignored) ignored++;
  }
  return { normalizer, events, rejected, ignored };
}

const parentTurn = turnIdOf(sample.parent, sample.parentUserMessage);
const childTurn = turnIdOf(sample.child, sample.childUserMessage);

describe("replaying a real sub-agent run", () => {
  const { normalizer, events, rejected, ignored } = replay();

  it("places every event, rejects nothing, and ignores only global noise", () => {
    expect(rejected).toEqual([]);
    const raw = sampleEvents();
    const noise = raw.filter((e) => !String(e.type).startsWith("session.") && !String(e.type).startsWith("message."));
    // plugin.added, catalog.updated, server.*, ... plus session.diff, which is not consumed.
    const diffs = raw.filter((e) => e.type === "session.diff");
    expect(ignored).toBe(noise.length + diffs.length);
    expect(noise.map((e) => e.type)).toContain("server.heartbeat");
  });

  it("keys the sub-agent's events by the parent (root) session", () => {
    expect(new Set(events.map((e) => e.rootSessionId))).toEqual(new Set([sample.parent]));
    expect(new Set(events.map((e) => e.sessionId))).toEqual(new Set([sample.parent, sample.child]));
    expect(normalizer.rootOf(sample.child)).toBe(sample.parent);
    const child = ofKind(events, "session.upserted").find((e) => e.sessionId === sample.child);
    expect(child?.session.parentId).toBe(sample.parent);
  });

  it("numbers events 1..n without gaps", () => {
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(normalizer.lastSeq(sample.parent)).toBe(events.length);
  });

  it("links the task tool call to the child session, in the parent's turn", () => {
    const task = ofKind(events, "part.upserted").filter((e) => e.part.id === sample.taskPart);
    expect(task.map((e) => e.part.tool?.status)).toEqual(["pending", "running", "completed"]);
    const completed = task.at(-1);
    expect(completed?.part.tool).toMatchObject({
      name: "task",
      callId: sample.taskCallId,
      childSessionId: sample.child,
      title: "child work",
      startedAt: 1795407837959,
      endedAt: 1795407838674,
    });
    expect(completed?.turnId).toBe(parentTurn);
    expect(completed?.sessionId).toBe(sample.parent);
  });

  it("opens one turn per session, and puts every message and part in its own session's turn", () => {
    const started = ofKind(events, "turn.started");
    expect(started.map((e) => [e.sessionId, e.turn.index, e.turnId])).toEqual([
      [sample.parent, 1, parentTurn],
      [sample.child, 1, childTurn],
    ]);
    for (const e of events) {
      if ("turnId" in e && e.turnId) expect(e.turnId).toBe(e.sessionId === sample.child ? childTurn : parentTurn);
    }
  });

  it("streams the final answer as deltas that add up to the completed text", () => {
    const deltas = ofKind(events, "part.delta").filter((e) => e.partId === sample.finalTextPart);
    const text = deltas.map((e) => e.delta).join("");
    const final = ofKind(events, "part.upserted").findLast((e) => e.part.id === sample.finalTextPart);
    expect(final?.part.text).toBe(text);
    expect(text).toBe("Done after tool. ".repeat(5) + " ");
  });

  it("does not repeat unchanged upserts (same content, keys in another order) or statuses", () => {
    const userUpserts = ofKind(events, "message.upserted").filter((e) => e.message.id === sample.parentUserMessage);
    // opencode sent it 4 times: first bare, then with summary, then twice more unchanged.
    expect(userUpserts).toHaveLength(2);
    const statuses = (id: string) =>
      ofKind(events, "session.status")
        .filter((e) => e.sessionId === id)
        .map((e) => e.status);
    expect(statuses(sample.parent)).toEqual(["running", "idle"]);
    expect(statuses(sample.child)).toEqual(["running", "idle"]);
  });

  it("carries per-step usage and tool output", () => {
    const parts = ofKind(events, "part.upserted");
    const step = parts.findLast((e) => e.part.type === "step-finish");
    expect(step?.part.step).toEqual({
      reason: "stop",
      cost: 0,
      tokens: { input: 100, output: 20, reasoning: 0, cacheRead: 0, cacheWrite: 0 },
    });
    const read = parts.findLast((e) => e.part.tool?.name === "read");
    expect(read?.sessionId).toBe(sample.child);
    expect(read?.part.tool?.output).toContain("hello-world");
  });
});
