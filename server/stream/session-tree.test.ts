import { describe, expect, it } from "vitest";
import { assistantMessage, sessionUpdated, taskPart, textPart, userMessage } from "./fixtures/raw";
import { Normalizer } from "./normalizer";
import { SessionTree } from "./session-tree";

describe("SessionTree", () => {
  it("resolves a depth-2 sub-agent to the root, whatever order the links arrive in", () => {
    const tree = new SessionTree();
    tree.observe("ses_grandchild", "ses_child");
    expect(tree.rootOf("ses_grandchild")).toBeUndefined();
    tree.link("ses_child", "ses_root");
    expect(tree.rootOf("ses_grandchild")).toBeUndefined();
    tree.observe("ses_root", null);
    expect(tree.rootOf("ses_grandchild")).toBe("ses_root");
    expect(tree.rootOf("ses_child")).toBe("ses_root");
    expect(tree.rootOf("ses_root")).toBe("ses_root");
    expect(tree.membersOf("ses_root").sort()).toEqual(["ses_child", "ses_grandchild", "ses_root"]);
  });

  it("keeps the first link and refuses contradictions and cycles", () => {
    const tree = new SessionTree();
    tree.observe("ses_a", null);
    expect(tree.link("ses_b", "ses_a")).toBe("new");
    expect(tree.link("ses_b", "ses_a")).toBe("known");
    expect(tree.link("ses_b", "ses_other")).toBe("conflict");
    expect(tree.observe("ses_a", "ses_b")).toBe("conflict");
    expect(tree.link("ses_x", "ses_x")).toBe("conflict");
    tree.link("ses_c", "ses_d");
    expect(tree.link("ses_d", "ses_c")).toBe("conflict");
    expect(tree.rootOf("ses_b")).toBe("ses_a");
    expect(tree.rootOf("ses_c")).toBeUndefined();
  });
});

describe("root resolution in the normalizer", () => {
  it("holds back events of a session with an unknown root and releases them in order once linked", () => {
    const normalizer = new Normalizer();
    normalizer.push(sessionUpdated("ses_root"));
    normalizer.push(userMessage("ses_root", "msg_u1"));
    normalizer.push(assistantMessage("ses_root", "msg_a1", "msg_u1"));

    // The sub-agent's events arrive before anything says whose child it is.
    const early = [
      normalizer.push(userMessage("ses_sub", "msg_su1")),
      normalizer.push(textPart("ses_sub", "msg_su1", "prt_s1", "do it")),
    ];
    expect(early.flatMap((r) => r.events)).toEqual([]);
    expect(early.flatMap((r) => r.rejected)).toEqual([]);

    // The parent's task part names the child: its held events come out, keyed by the root.
    const before = normalizer.lastSeq("ses_root");
    const linked = normalizer.push(taskPart("ses_root", "msg_a1", "prt_task", "ses_sub"));
    expect(linked.events.map((e) => [e.kind, e.sessionId, e.rootSessionId])).toEqual([
      ["part.upserted", "ses_root", "ses_root"],
      ["turn.started", "ses_sub", "ses_root"],
      ["message.upserted", "ses_sub", "ses_root"],
      ["part.upserted", "ses_sub", "ses_root"],
    ]);
    expect(linked.events.map((e) => e.seq)).toEqual([1, 2, 3, 4].map((n) => before + n));
    // Nothing is held any more: the child's next event goes straight out.
    const next = normalizer.push(textPart("ses_sub", "msg_su1", "prt_s2", "more"));
    expect(next.events.map((e) => [e.kind, e.sessionId, e.rootSessionId, e.seq])).toEqual([["part.upserted", "ses_sub", "ses_root", before + 5]]);
  });

  it("resolves a grandchild (depth 2) to the root of the whole tree", () => {
    const normalizer = new Normalizer();
    const results = [
      sessionUpdated("ses_root"),
      sessionUpdated("ses_child", "ses_root"),
      sessionUpdated("ses_grandchild", "ses_child"),
      userMessage("ses_grandchild", "msg_g1"),
    ].map((e) => normalizer.push(e));
    expect(results.at(-1)?.events.map((e) => [e.kind, e.sessionId, e.rootSessionId])).toEqual([
      ["turn.started", "ses_grandchild", "ses_root"],
      ["message.upserted", "ses_grandchild", "ses_root"],
    ]);
  });

  it("never guesses a root: a session whose chain has a gap stays held back", () => {
    const normalizer = new Normalizer();
    normalizer.push(sessionUpdated("ses_root"));
    const result = normalizer.push(sessionUpdated("ses_orphan", "ses_missing_parent"));
    expect(result.events).toEqual([]);
    expect(normalizer.rootOf("ses_orphan")).toBeUndefined();
    // Held, not lost: once the gap is filled, the orphan comes out under the real root.
    const filled = normalizer.push(sessionUpdated("ses_missing_parent", "ses_root"));
    expect(filled.events.map((e) => [e.kind, e.sessionId, e.rootSessionId])).toEqual([
      ["session.upserted", "ses_missing_parent", "ses_root"],
      ["session.upserted", "ses_orphan", "ses_root"],
    ]);
  });

  it("bounds the held-back events and reports the dropped ones with their ids", () => {
    const normalizer = new Normalizer({ pending: { perSession: 2, sessions: 1 } });
    const pushes = [
      userMessage("ses_a", "msg_1"),
      userMessage("ses_a", "msg_2"),
      userMessage("ses_a", "msg_3"),
      userMessage("ses_b", "msg_4"),
    ].map((e) => normalizer.push(e));
    const dropped = pushes.flatMap((r) => r.rejected).map((r) => [r.reason, r.sessionId, r.eventType]);
    expect(dropped).toEqual([
      ["root_unknown", "ses_a", "message.updated"],
      ["root_unknown", "ses_a", "message.updated"],
      ["root_unknown", "ses_a", "message.updated"],
    ]);
    // What is still held is ses_b's message alone: linking each session releases only that.
    normalizer.push(sessionUpdated("ses_root"));
    const released = [sessionUpdated("ses_a", "ses_root"), sessionUpdated("ses_b", "ses_root")].map((e) =>
      normalizer.push(e).events.filter((event) => event.kind === "message.upserted").map((event) => [event.sessionId, event.kind === "message.upserted" && event.message.id]),
    );
    expect(released).toEqual([[], [["ses_b", "msg_4"]]]);
  });

  it("reports a contradicting parent link but keeps the known one", () => {
    const normalizer = new Normalizer();
    normalizer.push(sessionUpdated("ses_root"));
    normalizer.push(sessionUpdated("ses_other"));
    normalizer.push(sessionUpdated("ses_child", "ses_root"));
    const result = normalizer.push(sessionUpdated("ses_child", "ses_other", { title: "moved?" }));
    expect(result.rejected).toEqual([expect.objectContaining({ reason: "link_conflict", childSessionId: "ses_child" })]);
    expect(result.events).toEqual([expect.objectContaining({ kind: "session.upserted", rootSessionId: "ses_root" })]);
  });
});
