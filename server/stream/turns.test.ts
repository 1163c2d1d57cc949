import { describe, expect, it } from "vitest";
import { assistantMessage, delta, sessionUpdated, taskPart, textPart, userMessage } from "./fixtures/raw";
import { Normalizer } from "./normalizer";
import type { SessionEvent } from "./session-event";
import { turnIdOf } from "./turn-tracker";

const S = "ses_root";

function run(normalizer: Normalizer, inputs: unknown[]) {
  const events: SessionEvent[] = [];
  const rejected = [];
  for (const input of inputs) {
    const result = normalizer.push(input);
    events.push(...result.events);
    rejected.push(...result.rejected);
  }
  return { events, rejected };
}

// Two turns of one session; turn 1's answer is still streaming when turn 2 starts.
function twoTurns() {
  const normalizer = new Normalizer();
  run(normalizer, [
    sessionUpdated(S),
    userMessage(S, "msg_u1"),
    assistantMessage(S, "msg_a1", "msg_u1"),
    textPart(S, "msg_a1", "prt_t1"),
    userMessage(S, "msg_u2", 5),
    assistantMessage(S, "msg_a2", "msg_u2", 6),
    textPart(S, "msg_a2", "prt_t2"),
  ]);
  return normalizer;
}

describe("turn affinity", () => {
  it("numbers turns by user message and derives their ids from opencode ids", () => {
    const { events } = run(new Normalizer(), [
      sessionUpdated(S),
      userMessage(S, "msg_u1"),
      userMessage(S, "msg_u2", 5),
      userMessage(S, "msg_u1"),
    ]);
    const started = events.flatMap((e) => (e.kind === "turn.started" ? [[e.turn.index, e.turnId]] : []));
    expect(started).toEqual([
      [1, `${S}:msg_u1`],
      [2, `${S}:msg_u2`],
    ]);
  });

  it("attaches a late delta of turn 1 to turn 1 after turn 2 started", () => {
    const normalizer = twoTurns();
    const { events, rejected } = run(normalizer, [delta(S, "msg_a1", "prt_t1", "late words")]);
    expect(rejected).toEqual([]);
    expect(events).toEqual([
      expect.objectContaining({ kind: "part.delta", turnId: turnIdOf(S, "msg_u1"), partId: "prt_t1", delta: "late words" }),
    ]);
  });

  it("attaches a late tool update of turn 1 to turn 1", () => {
    const normalizer = twoTurns();
    const { events } = run(normalizer, [taskPart(S, "msg_a1", "prt_task", "ses_child")]);
    expect(events.map((e) => [e.kind, "turnId" in e && e.turnId])).toEqual([["part.upserted", turnIdOf(S, "msg_u1")]]);
  });

  it("rejects a part of an unknown message with its ids instead of using the newest turn", () => {
    const normalizer = twoTurns();
    const { events, rejected } = run(normalizer, [textPart(S, "msg_nope", "prt_x", "hi"), delta(S, "msg_nope", "prt_y", "d")]);
    expect(events).toEqual([]);
    expect(rejected).toEqual([
      expect.objectContaining({ reason: "message_unknown", eventType: "message.part.updated", sessionId: S, messageId: "msg_nope", partId: "prt_x" }),
      expect.objectContaining({ reason: "message_unknown", eventType: "message.part.delta", sessionId: S, messageId: "msg_nope", partId: "prt_y" }),
    ]);
  });

  it("rejects an assistant message whose user message is unknown, or that has none", () => {
    const normalizer = twoTurns();
    const { events, rejected } = run(normalizer, [
      assistantMessage(S, "msg_a9", "msg_u9"),
      assistantMessage(S, "msg_a8", undefined),
    ]);
    expect(events).toEqual([]);
    expect(rejected).toEqual([
      expect.objectContaining({ reason: "turn_unresolved", sessionId: S, messageId: "msg_a9", parentMessageId: "msg_u9" }),
      expect.objectContaining({ reason: "turn_unresolved", sessionId: S, messageId: "msg_a8" }),
    ]);
  });

  it("rejects a delta that names another message than its part's", () => {
    const normalizer = twoTurns();
    const { events, rejected } = run(normalizer, [delta(S, "msg_a2", "prt_t1", "x")]);
    expect(events).toEqual([]);
    expect(rejected).toEqual([expect.objectContaining({ reason: "turn_conflict", partId: "prt_t1", messageId: "msg_a2" })]);
  });

  it("tracks a sub-agent's turns independently of its parent's", () => {
    const normalizer = twoTurns();
    const { events } = run(normalizer, [
      sessionUpdated("ses_child", S),
      userMessage("ses_child", "msg_cu1", 7),
      assistantMessage("ses_child", "msg_ca1", "msg_cu1", 8),
    ]);
    const started = events.find((e) => e.kind === "turn.started");
    expect(started).toMatchObject({ sessionId: "ses_child", rootSessionId: S, turnId: "ses_child:msg_cu1", turn: { index: 1 } });
    expect(events.at(-1)).toMatchObject({ kind: "message.upserted", turnId: "ses_child:msg_cu1" });
  });

  it("forgets a removed message's parts: later events for them are rejected", () => {
    const normalizer = twoTurns();
    const removed = normalizer.push({ type: "message.removed", properties: { sessionID: S, messageID: "msg_a1" } });
    expect(removed.events).toEqual([expect.objectContaining({ kind: "message.removed", turnId: turnIdOf(S, "msg_u1"), messageId: "msg_a1" })]);
    expect(normalizer.push(delta(S, "msg_a1", "prt_t1", "x")).rejected).toEqual([
      expect.objectContaining({ reason: "message_unknown", partId: "prt_t1" }),
    ]);
  });

  it("lets the watchdog mark a known turn stalled, and only a known one", () => {
    const normalizer = twoTurns();
    const stalled = normalizer.markStalled(S, turnIdOf(S, "msg_u2"), 90_000);
    expect(stalled.events).toEqual([
      expect.objectContaining({ kind: "turn.stalled", turnId: turnIdOf(S, "msg_u2"), silentForMs: 90_000, seq: normalizer.lastSeq(S) }),
    ]);
    expect(normalizer.markStalled(S, `${S}:msg_zz`, 1).rejected).toEqual([
      expect.objectContaining({ reason: "turn_unknown", turnId: `${S}:msg_zz` }),
    ]);
  });

  it("says a stalled session is running again, before the first sign of life, and only once", () => {
    const normalizer = twoTurns();
    normalizer.markStalled(S, turnIdOf(S, "msg_u2"), 90_000);
    const { events } = run(normalizer, [delta(S, "msg_a2", "prt_t2", "late"), delta(S, "msg_a2", "prt_t2", " words")]);
    expect(events.map((e) => e.kind)).toEqual(["session.status", "part.delta", "part.delta"]);
    expect(events[0]).toMatchObject({ status: "running", sessionId: S, seq: events[1]!.seq - 1 });
  });

  it("does not resume a stalled session whose run ended instead", () => {
    const normalizer = twoTurns();
    normalizer.markStalled(S, turnIdOf(S, "msg_u2"), 90_000);
    const idle = { type: "session.status", properties: { sessionID: S, status: { type: "idle" } } };
    const { events } = run(normalizer, [idle, userMessage(S, "msg_u3", 9)]);
    expect(events.map((e) => e.kind === "session.status" && e.status).filter(Boolean)).toEqual(["idle"]);
  });

  it("places a permission request in the turn of the tool message that asked, if known", () => {
    const normalizer = twoTurns();
    const ask = (messageID: string) => ({
      type: "permission.asked",
      properties: { id: `per_${messageID}`, sessionID: S, permission: "bash", patterns: ["ls"], metadata: {}, always: [], tool: { messageID, callID: "c" } },
    });
    const { events } = run(normalizer, [ask("msg_a1"), ask("msg_unknown")]);
    expect(events.map((e) => e.kind === "permission.asked" && [e.request.id, e.turnId])).toEqual([
      ["per_msg_a1", turnIdOf(S, "msg_u1")],
      ["per_msg_unknown", undefined],
    ]);
  });
});
