import { describe, expect, it } from "vitest";
import { assistantMessage, sessionUpdated, userMessage } from "./fixtures/raw";
import { sample, sampleEvents } from "./fixtures/sample-stream";
import { applyEvent, emptySnapshot, snapshotEvent } from "./materialize";
import { Normalizer } from "./normalizer";
import { SessionEvent } from "./session-event";

const events = (() => {
  const normalizer = new Normalizer();
  return sampleEvents().flatMap((e) => normalizer.push(e).events);
})();

const fold = (list: SessionEvent[], start = emptySnapshot(sample.parent)) => list.reduce(applyEvent, start);

describe("materialized state", () => {
  it("renders the finished sub-agent run as a client would show it", () => {
    const state = fold(events);
    const parent = state.sessions[sample.parent];
    const child = state.sessions[sample.child];
    expect(child?.session?.parentId).toBe(sample.parent);
    expect([parent?.status, child?.status]).toEqual(["idle", "idle"]);
    expect(parent?.parts[sample.finalTextPart]?.text).toBe("Done after tool. ".repeat(5) + " ");
    expect(parent?.parts[sample.taskPart]?.tool).toMatchObject({ status: "completed", childSessionId: sample.child });
    expect(child?.turns.map((t) => t.index)).toEqual([1]);
    expect(Object.values(child?.parts ?? {}).map((p) => p.tool?.name).filter(Boolean)).toEqual(["read"]);
  });

  it("coalesces deltas into the part text while a part is still streaming", () => {
    const cut = events.findIndex((e) => e.kind === "part.delta" && e.partId === sample.finalTextPart) + 3;
    const state = fold(events.slice(0, cut));
    expect(state.sessions[sample.parent]?.parts[sample.finalTextPart]?.text).toBe("Done after tool. ");
  });

  it("gives the same state from a snapshot plus the tail as from the whole stream, at any cut", () => {
    const whole = fold(events);
    for (const cut of [0, 1, 17, 40, events.length - 1, events.length]) {
      const snapshot = snapshotEvent(fold(events.slice(0, cut)), cut);
      expect(SessionEvent.parse(snapshot)).toEqual(snapshot);
      // Survives the wire (JSON) and starts from nothing on the client side.
      const received = JSON.parse(JSON.stringify(snapshot)) as SessionEvent;
      expect(fold([received, ...events.slice(cut)], emptySnapshot("ignored"))).toEqual(JSON.parse(JSON.stringify(whole)));
    }
  });

  it("keeps only unanswered requests, and drops the turn whose user message was removed", () => {
    const S = "ses_m";
    const normalizer = new Normalizer();
    const list = [
      sessionUpdated(S),
      userMessage(S, "msg_u1"),
      assistantMessage(S, "msg_a1", "msg_u1"),
      { type: "permission.asked", properties: { id: "per_1", sessionID: S, permission: "bash", patterns: [], metadata: {}, always: [], tool: { messageID: "msg_a1", callID: "c" } } },
      { type: "permission.asked", properties: { id: "per_2", sessionID: S, permission: "edit", patterns: [], metadata: {}, always: [] } },
      { type: "permission.replied", properties: { sessionID: S, requestID: "per_1", reply: "once" } },
      { type: "message.removed", properties: { sessionID: S, messageID: "msg_u1" } },
    ].flatMap((e) => normalizer.push(e).events);
    const view = fold(list, emptySnapshot(S)).sessions[S];
    expect(Object.keys(view?.permissions ?? {})).toEqual(["per_2"]);
    expect(view?.turns).toEqual([]);
    expect(Object.keys(view?.messages ?? {})).toEqual(["msg_a1"]);
  });

  it("keeps a failed session in error after opencode's idle, until its next turn; an abort is not a failure", () => {
    const S = "ses_e";
    const normalizer = new Normalizer();
    const status = (type: string) => ({ type: "session.status", properties: { sessionID: S, status: { type } } });
    const failure = { name: "UnknownError", data: { message: '{"message":"boom"}' } };
    let state = emptySnapshot(S);
    const view = (list: unknown[]) => (state = fold(list.flatMap((e) => normalizer.push(e).events), state)).sessions[S];
    const failed = view([
      sessionUpdated(S),
      userMessage(S, "msg_u1"),
      status("busy"),
      assistantMessage(S, "msg_a1", "msg_u1"),
      { type: "session.error", properties: { sessionID: S, error: failure } },
      status("idle"),
    ]);
    expect(failed?.status).toBe("error");
    expect(failed?.error).toMatchObject({ name: "UnknownError" });
    expect(failed?.boundary?.status).toBe("error");

    const next = view([userMessage(S, "msg_u2", 3), status("busy"), status("idle")]);
    expect(next?.status).toBe("idle");
    expect(next?.error).toBeUndefined();

    const aborted = view([
      userMessage(S, "msg_u3", 5),
      status("busy"),
      { type: "session.error", properties: { sessionID: S, error: { name: "MessageAbortedError", data: { message: "Aborted" } } } },
      status("idle"),
    ]);
    expect(aborted?.status).toBe("idle");
  });
});
