import { describe, expect, it } from "vitest";
import type { SessionEvent } from "~/server/stream";
import { Watchdog } from "./watchdog";

const root = "ses_root";
const at = (sessionId: string, seq: number) => ({ rootSessionId: root, sessionId, seq });
const started = (sessionId: string, seq: number): SessionEvent => ({
  kind: "turn.started",
  ...at(sessionId, seq),
  turnId: `${sessionId}:msg_u`,
  turn: { id: `${sessionId}:msg_u`, index: 1, userMessageId: "msg_u" },
});

describe("Watchdog", () => {
  it("reports a running turn once after the tree has been silent too long", () => {
    const dog = new Watchdog(1_000);
    dog.observe(started(root, 1), 0);
    expect(dog.check(999)).toEqual([]);
    expect(dog.check(1_500)).toEqual([{ sessionId: root, turnId: `${root}:msg_u`, silentForMs: 1_500 }]);
    expect(dog.check(5_000)).toEqual([]);
  });

  it("does not report a parent whose sub-agent keeps the tree busy", () => {
    const dog = new Watchdog(1_000);
    dog.observe(started(root, 1), 0);
    dog.observe(started("ses_child", 2), 900);
    dog.observe({ kind: "session.status", ...at("ses_child", 3), status: "running" }, 1_800);
    expect(dog.check(2_000)).toEqual([]);
  });

  it("does not report a turn waiting for a human answer, nor an idle session", () => {
    const dog = new Watchdog(1_000);
    dog.observe(started(root, 1), 0);
    dog.observe(
      { kind: "permission.asked", ...at(root, 2), request: { id: "per_1", permission: "bash", patterns: [], always: [], metadata: {} } },
      10,
    );
    expect(dog.check(60_000)).toEqual([]);
    dog.observe({ kind: "session.status", ...at(root, 3), status: "idle" }, 60_000);
    expect(dog.check(120_000)).toEqual([]);
  });

  it("blames a stall on the turn that runs, not on a prompt queued behind it, until that prompt's turn answers", () => {
    const dog = new Watchdog(1_000);
    const turn = (n: number) => ({ turnId: `${root}:msg_u${n}`, turn: { id: `${root}:msg_u${n}`, index: n, userMessageId: `msg_u${n}` } });
    dog.observe({ kind: "turn.started", ...at(root, 1), ...turn(1) }, 0);
    dog.observe({ kind: "message.upserted", ...at(root, 2), turnId: turn(1).turnId, message: { id: "msg_a1", role: "assistant", parentId: "msg_u1", data: {} } }, 10);
    // The queued prompt: its turn starts, its message and its text part arrive.
    dog.observe({ kind: "turn.started", ...at(root, 3), ...turn(2) }, 20);
    dog.observe({ kind: "message.upserted", ...at(root, 4), turnId: turn(2).turnId, message: { id: "msg_u2", role: "user", data: {} } }, 20);
    dog.observe({ kind: "part.upserted", ...at(root, 5), turnId: turn(2).turnId, messageId: "msg_u2", part: { id: "prt_u2", messageId: "msg_u2", type: "text", text: "next", data: {} } }, 20);
    expect(dog.check(2_000)).toEqual([{ sessionId: root, turnId: turn(1).turnId, silentForMs: 1_980 }]);
    // Once the runner answers the queued prompt, that turn is the one running.
    dog.observe({ kind: "message.upserted", ...at(root, 6), turnId: turn(2).turnId, message: { id: "msg_a2", role: "assistant", parentId: "msg_u2", data: {} } }, 3_000);
    expect(dog.check(5_000)).toEqual([{ sessionId: root, turnId: turn(2).turnId, silentForMs: 2_000 }]);
  });

  it("re-arms after new activity", () => {
    const dog = new Watchdog(1_000);
    dog.observe(started(root, 1), 0);
    expect(dog.check(2_000)).toHaveLength(1);
    dog.observe(started(root, 2), 3_000);
    expect(dog.check(4_500)).toHaveLength(1);
  });

  it("keeps a stalled session counted as running, so its runner stays followed in case it resumes", () => {
    const dog = new Watchdog(1_000);
    dog.observe(started(root, 1), 0);
    const [stalled] = dog.check(2_000);
    dog.observe({ kind: "turn.stalled", ...at(root, 2), turnId: stalled!.turnId, silentForMs: 2_000 }, 2_000);
    expect(dog.running()).toEqual([root]);
    expect(dog.check(10_000)).toEqual([]); // the report is not activity: no second report
    dog.observe({ kind: "session.status", ...at(root, 3), status: "idle" }, 11_000);
    expect(dog.running()).toEqual([]);
  });
});
