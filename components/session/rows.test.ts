import { describe, expect, it } from "vitest";
import { applyEvent } from "~/server/stream/materialize";
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

describe("an earlier turn's bad end", () => {
  const aborted = { name: "MessageAbortedError", message: "Aborted" };
  /** Turn 1 ended as `end` says (the session's error), then turn 2 starts, as the live fold sees it. */
  function next(end: SessionView["error"], answerError?: SessionView["error"]): SessionView {
    const state = { rootSessionId: "ses_1", sessions: { ses_1: view("idle", end, answerError) } };
    const turn = { id: "ses_1:msg_w", index: 2, userMessageId: "msg_w" };
    applyEvent(state, { kind: "turn.started", rootSessionId: "ses_1", sessionId: "ses_1", seq: 9, turnId: turn.id, turn });
    return state.sessions.ses_1;
  }
  const rows = (v: SessionView) => conversationRows(v).map((r) => (r.kind === "session-error" ? `${r.kind}:${r.error.message}` : r.kind));

  it("stays with its turn once the next one starts, when none of its answers says it", () => {
    // Aborted while the model retried: the answer holds nothing, the note is all there is.
    expect(rows(next(aborted))).toEqual(["prompt", "session-error:Aborted", "prompt"]);
    expect(rows(next(failure))).toEqual(["prompt", 'session-error:{"message":"boom"}', "prompt"]);
    // Said once: by the answer that failed.
    expect(rows(next(aborted, aborted))).toEqual(["prompt", "message-error", "prompt"]);
    expect(rows(next(undefined))).toEqual(["prompt", "prompt"]);
  });
});

describe("prompts with no answer", () => {
  type Answer = { completedAt?: number; error?: SessionView["error"] } | undefined;
  /** Turns in order, each a prompt sent at `sent` and its answer (or none). */
  function conversation(status: SessionView["status"], turns: { sent: number; answer: Answer }[]): SessionView {
    const v = view(status, undefined);
    v.turns = [];
    v.messages = {};
    turns.forEach(({ sent, answer }, i) => {
      const turnId = `ses_1:msg_u${i}`;
      v.turns.push({ id: turnId, index: i + 1, userMessageId: `msg_u${i}`, stalled: false });
      v.messages[`msg_u${i}`] = { id: `msg_u${i}`, role: "user", createdAt: sent, turnId, data: {} };
      if (answer) v.messages[`msg_v${i}`] = { id: `msg_v${i}`, role: "assistant", parentId: `msg_u${i}`, createdAt: sent + 1, ...answer, turnId, data: {} };
    });
    return v;
  }
  const marks = (v: SessionView) => conversationRows(v).flatMap((r) => (r.kind === "prompt" ? [r.unanswered ?? "-"] : []));
  const aborted = { name: "MessageAbortedError", message: "Aborted" };

  it("are queued behind a turn that still runs", () => {
    expect(marks(conversation("running", [{ sent: 1, answer: {} }, { sent: 5, answer: undefined }, { sent: 6, answer: undefined }]))).toEqual(["-", "queued", "queued"]);
    // A new turn whose answer has not started yet is just starting.
    expect(marks(conversation("running", [{ sent: 1, answer: { completedAt: 3 } }, { sent: 5, answer: undefined }]))).toEqual(["-", "-"]);
  });

  it("were dropped when the turn before them was aborted after they were sent; a prompt sent after the abort just runs", () => {
    const abortedAt10 = { completedAt: 10, error: aborted };
    expect(marks(conversation("idle", [{ sent: 1, answer: abortedAt10 }, { sent: 5, answer: undefined }, { sent: 6, answer: undefined }]))).toEqual([
      "-",
      "dropped",
      "dropped",
    ]);
    expect(marks(conversation("running", [{ sent: 1, answer: abortedAt10 }, { sent: 5, answer: undefined }, { sent: 12, answer: undefined }]))).toEqual([
      "-",
      "dropped",
      "-",
    ]);
  });
});


describe("turns a revert undid", () => {
  it("stay, marked, after one note where the reverted turns begin", () => {
    const v = view("idle", undefined);
    v.turns = [];
    v.messages = {};
    for (const i of [1, 2, 3]) {
      const turnId = `ses_1:msg_u${i}`;
      v.turns.push({ id: turnId, index: i, userMessageId: `msg_u${i}`, stalled: false, ...(i > 1 ? { reverted: true as const } : {}) });
      v.messages[`msg_u${i}`] = { id: `msg_u${i}`, role: "user", turnId, data: {} };
    }
    const rows = conversationRows(v);
    expect(rows.map((r) => r.kind)).toEqual(["prompt", "reverted", "prompt", "prompt"]);
    expect(rows.find((r) => r.kind === "reverted")).toMatchObject({ fromTurn: 2 });
    expect(rows.flatMap((r) => (r.kind === "prompt" ? [Boolean(r.reverted)] : []))).toEqual([false, true, true]);
  });
});

describe("a tool call waiting on its own request", () => {
  function withBash(status: "running" | "completed", asking: boolean): SessionView {
    const v = view("waiting", undefined);
    v.parts = {
      prt_1: {
        id: "prt_1", messageId: "msg_a", turnId: "ses_1:msg_u", type: "tool", data: {},
        tool: { callId: "call_1", name: "bash", status, input: { command: "echo hi" } },
      },
    };
    if (asking) v.permissions = { per_1: { id: "per_1", permission: "bash", patterns: ["echo hi"], always: [], metadata: {}, tool: { messageId: "msg_a", callId: "call_1" } } };
    return v;
  }
  const toolRow = (v: SessionView) => conversationRows(v).find((r) => r.kind === "part");

  it("says it waits for approval while its permission is asked, not that it runs", () => {
    expect(toolRow(withBash("running", true))).toMatchObject({ waiting: "permission" });
    expect(kinds(withBash("running", true))).toEqual(["prompt", "part", "permission"]);
  });

  it("runs once answered, and a finished call waits for nothing", () => {
    expect(toolRow(withBash("running", false))).not.toHaveProperty("waiting");
    expect(toolRow(withBash("completed", true))).not.toHaveProperty("waiting");
  });
});
