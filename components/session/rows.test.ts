import { describe, expect, it } from "vitest";
import { conversationRows } from "./rows";
import type { SessionView } from "./types";

const failure = { name: "UnknownError", message: '{"message":"boom"}' };

function view(status: SessionView["status"], error: SessionView["error"], answerError?: SessionView["error"]): SessionView {
  const turnId = "ses_1:msg_u";
  return {
    sessionId: "ses_1",
    status,
    error,
    turns: [{ id: turnId, index: 1, userMessageId: "msg_u", stalled: false }],
    messages: {
      msg_u: { id: "msg_u", role: "user", turnId, data: {} },
      msg_a: { id: "msg_a", role: "assistant", parentId: "msg_u", error: answerError, turnId, data: {} },
    },
    parts: {},
    todos: [],
    boundary: null,
    permissions: {},
    questions: {},
  };
}

const kinds = (v: SessionView) => conversationRows(v).map((r) => r.kind);

describe("how a turn's bad end shows", () => {
  it("once, on the answer that failed, whatever the session-level error is called", () => {
    expect(kinds(view("error", failure, failure))).toEqual(["prompt", "message-error"]);
    // From a snapshot the session-level error is the stored reason, under another name.
    expect(kinds(view("error", { name: "Error", message: "The model call failed: boom" }, failure))).toEqual(["prompt", "message-error"]);
  });

  it("at the end when no answer says it: a failure before any answer, an early abort", () => {
    expect(kinds(view("error", failure))).toEqual(["prompt", "session-error"]);
    expect(kinds(view("idle", { name: "MessageAbortedError", message: "Aborted" }))).toEqual(["prompt", "session-error"]);
    // A session that moved on shows no stale error.
    expect(kinds(view("running", failure))).toEqual(["prompt"]);
  });
});
