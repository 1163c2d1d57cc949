import { describe, expect, it } from "vitest";
import { buildSpans } from "./build";
import type { TraceRows } from "./rows";
import type { Span } from "./span";
import { summarize } from "./summary";

// A root whose turn's one step calls `read` and spawns a sub-agent (`task`); the sub-agent's
// step costs an unknown price and its `bash` call was cut off when its turn ended.
const t = (s: number) => new Date(Date.UTC(2026, 11, 1, 10, 0, s));
const tokens = (input: number, output: number) => ({
  tokensInput: input,
  tokensOutput: output,
  tokensReasoning: 1,
  tokensCacheRead: 2,
  tokensCacheWrite: 3,
});

function rows(): TraceRows {
  return {
    rootId: "root",
    sessions: [
      { id: "root", rootId: "root", title: "Root", agent: "build", modelId: "demo", status: "idle" },
      { id: "kid", rootId: "root", title: "Kid", agent: "general", modelId: "demo", status: "idle" },
    ],
    turns: [
      { id: "turn1", sessionId: "root", index: 1, status: "completed", startedAt: t(50), endedAt: t(60) },
      { id: "kturn", sessionId: "kid", index: 1, status: "completed", startedAt: t(50), endedAt: t(60) },
    ],
    messages: [
      { id: "u1", sessionId: "root", turnId: "turn1", role: "user", agent: null, modelId: null, ...tokens(0, 0), cost: 0, costSource: "reported", errorName: null, createdAt: t(0), completedAt: null },
      { id: "step1", sessionId: "root", turnId: "turn1", role: "assistant", agent: "build", modelId: "demo", ...tokens(100, 10), cost: 0.5, costSource: "reported", errorName: null, createdAt: t(1), completedAt: t(20) },
      { id: "ku", sessionId: "kid", turnId: "kturn", role: "user", agent: null, modelId: null, ...tokens(0, 0), cost: 0, costSource: "reported", errorName: null, createdAt: t(5), completedAt: null },
      { id: "kstep", sessionId: "kid", turnId: "kturn", role: "assistant", agent: "general", modelId: "local", ...tokens(40, 4), cost: 0, costSource: "unknown", errorName: null, createdAt: t(6), completedAt: t(12) },
    ],
    tools: [
      { id: "read", sessionId: "root", turnId: "turn1", callId: "c1", tool: "read", title: "src", status: "completed", startedAt: t(2), endedAt: t(4), childSessionId: null, messageId: "step1" },
      { id: "task", sessionId: "root", turnId: "turn1", callId: "c2", tool: "task", title: "Kid", status: "completed", startedAt: t(4), endedAt: t(15), childSessionId: "kid", messageId: "step1" },
      { id: "bash", sessionId: "kid", turnId: "kturn", callId: "c3", tool: "bash", title: "sleep", status: "running", startedAt: t(7), endedAt: null, childSessionId: null, messageId: "kstep" },
    ],
    waits: [
      { id: "ask", sessionId: "kid", turnId: "kturn", kind: "permission", callId: "c3", title: "bash: sleep", reply: "once", startedAt: t(8), endedAt: t(10) },
    ],
  };
}

describe("the spans of a tree", () => {
  const spans = buildSpans(rows());
  const byId = new Map(spans.map((s) => [s.id, s]));

  it("nests turn → step → tool, and the sub-agent's turn under its task call, in start order", () => {
    expect(spans.map((s) => [s.id, s.parentId, s.kind])).toEqual([
      ["turn1", null, "turn"],
      ["step1", "turn1", "step"],
      ["read", "step1", "tool"],
      ["task", "step1", "subagent"],
      ["kturn", "task", "turn"],
      ["kstep", "kturn", "step"],
      ["bash", "kstep", "tool"],
      ["ask", "bash", "wait"],
    ]);
    expect(byId.get("task")).toMatchObject({ childSessionId: "kid", detail: "Kid" });
  });

  it("times a turn from its prompt to its last step on the runner's clock, not when it was stored", () => {
    expect(byId.get("turn1")).toMatchObject({ startMs: t(0).getTime(), endMs: t(20).getTime(), status: "completed" });
    expect(byId.get("kturn")).toMatchObject({ startMs: t(5).getTime(), endMs: t(12).getTime() });
  });

  it("closes a tool still running after its turn ended as interrupted, at the turn's end", () => {
    expect(byId.get("bash")).toMatchObject({ status: "interrupted", endMs: t(12).getTime() });
  });

  it("gives an unknown price as null, never as 0", () => {
    expect(byId.get("kstep")!.cost).toBeNull();
    expect(byId.get("step1")!.cost).toBe(0.5);
  });

  it("sums the tree over every session, splits its wall time between model, tools and waiting, and finds the critical path", () => {
    const summary = summarize(rows(), spans, t(100).getTime());
    expect(summary.tree).toMatchObject({
      tokens: { input: 140, output: 14, reasoning: 2, cacheRead: 4, cacheWrite: 6 },
      cost: 0.5,
      unpricedSteps: 1,
      steps: 2,
      toolCalls: 3,
      failures: 1,
    });
    const [root, kid] = summary.sessions;
    expect(root).toMatchObject({ sessionId: "root", depth: 0, own: { steps: 1, cost: 0.5 }, rolledUp: { steps: 2, unpricedSteps: 1 } });
    expect(kid).toMatchObject({ sessionId: "kid", parentSessionId: "root", depth: 1, own: { steps: 1 } });
    // Wall time, each instant to the waiting request, else the running call, else the step:
    // model 1-2, 4-7 and 12-20 s; tools 2-4, 7-8 and 10-12 s; waiting 8-10 s.
    expect(summary.time).toEqual({ modelMs: 12_000, toolMs: 5_000, waitingMs: 2_000 });
    expect(summary.byTool.find((x) => x.tool === "bash")).toMatchObject({ count: 1, failures: 1, p95Ms: 5000 });
    expect(summary.byModel.map((g) => g.key)).toEqual(["demo", "local"]);
    // Each call counts for the agent and model of the step that made it.
    expect(summary.byModel.map((g) => [g.key, g.toolCalls, g.failures])).toEqual([["demo", 2, 0], ["local", 1, 1]]);
    expect(summary.byAgent.map((g) => [g.key, g.steps, g.toolCalls])).toEqual([["build", 1, 2], ["general", 1, 1]]);
    // The read came before the task call in the same step, so both are on the path.
    expect(summary.criticalPath).toEqual(["turn1", "step1", "read", "task", "kturn", "kstep", "bash", "ask"]);
    expect(summary.expensiveSteps.map((s) => s.id)).toEqual(["step1"]);
    expect(summary).toMatchObject({ startMs: t(0).getTime(), endMs: t(20).getTime(), running: false, spanCount: 8 });
  });
});

describe("a fan-out", () => {
  // One step spawns two sub-agents at once (A 2-10 s, B 2-6 s); a second step answers at 10-12 s.
  const span = (id: string, parentId: string | null, kind: Span["kind"], from: number, to: number): Span => ({
    id, parentId, sessionId: "root", kind, name: id, detail: null, startMs: from * 1000, endMs: to * 1000, status: "completed",
    agent: null, model: null, tokens: null, cost: null, childSessionId: null,
  });
  const spans = [
    span("turn", null, "turn", 0, 12),
    span("fan", "turn", "step", 1, 10),
    span("a", "fan", "subagent", 2, 10),
    span("b", "fan", "subagent", 2, 6),
    span("a-step", "a", "step", 2, 10),
    span("b-step", "b", "step", 2, 6),
    span("b-tool", "b-step", "tool", 3, 5),
    span("answer", "turn", "step", 10, 12),
  ];
  const summary = summarize({ rootId: "root", sessions: [] }, spans, 0);

  it("goes through the sub-agent that held the turn up and the step that waited for it", () => {
    expect(summary.criticalPath).toEqual(["turn", "fan", "a", "a-step", "answer"]);
  });

  it("counts parallel work once: the split never passes the run's wall time", () => {
    expect(summary.time).toEqual({ modelMs: 9_000, toolMs: 2_000, waitingMs: 0 });
  });
});

describe("the sessions of a summary", () => {
  it("lists each sub-agent right under the session that spawned it, not grouped by depth", () => {
    const session = (id: string) => ({ id, rootId: "root", title: id, agent: "general", modelId: "demo", status: "idle" as const });
    const spawn = (id: string, sessionId: string, child: string): Span => ({
      id, parentId: null, sessionId, kind: "subagent", name: "task", detail: child, startMs: 0, endMs: 1, status: "completed",
      agent: "general", model: "demo", tokens: null, cost: null, childSessionId: child,
    });
    const sessions = ["root", "a", "b", "a1", "b1"].map(session);
    const spans = [spawn("t1", "root", "a"), spawn("t2", "root", "b"), spawn("t3", "a", "a1"), spawn("t4", "b", "b1")];
    const summary = summarize({ rootId: "root", sessions }, spans, 10);
    expect(summary.sessions.map((s) => [s.sessionId, s.depth])).toEqual([["root", 0], ["a", 1], ["a1", 2], ["b", 1], ["b1", 2]]);
  });
});
