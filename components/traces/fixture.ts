import type { Span, SpanKind, SpanStatus } from "./types";

// Spans for the unit tests: plain data, no randomness, no clock.

let counter = 0;

export function span(over: Partial<Span> & { id?: string } = {}): Span {
  const id = over.id ?? `s${++counter}`;
  return {
    id,
    parentId: null,
    sessionId: "root",
    kind: "tool" as SpanKind,
    name: "read",
    detail: null,
    startMs: 0,
    endMs: 10,
    status: "completed" as SpanStatus,
    agent: "build",
    model: null,
    tokens: null,
    cost: null,
    childSessionId: null,
    ...over,
  };
}

/**
 * A small tree as the server nests it: a turn, its step, two tools of which one is a parallel
 * pair of sub-agents each holding a turn with a step and a tool; one tool failed.
 *
 *   t1 turn            0..100
 *     st1 step         1..99
 *       a  subagent   10..60   (child session c1)
 *         ct1 turn    11..59
 *           cs1 step  12..58
 *             ca bash 20..30   error
 *       b  subagent   15..80   (child session c2)
 *         ct2 turn    16..79
 *           cs2 step  17..78
 *             cb read 40..70
 *       r  read       85..95
 */
export function sampleTree(): Span[] {
  return [
    span({ id: "t1", kind: "turn", name: "Turn 1", startMs: 0, endMs: 100 }),
    span({ id: "st1", parentId: "t1", kind: "step", name: "demo", model: "demo/demo", startMs: 1, endMs: 99, tokens: { input: 10, output: 5, reasoning: 0, cacheRead: 2, cacheWrite: 1 }, cost: 0.01 }),
    span({ id: "a", parentId: "st1", kind: "subagent", name: "task", startMs: 10, endMs: 60, childSessionId: "c1" }),
    span({ id: "b", parentId: "st1", kind: "subagent", name: "task", startMs: 15, endMs: 80, childSessionId: "c2" }),
    span({ id: "ct1", parentId: "a", sessionId: "c1", kind: "turn", name: "Turn 1", startMs: 11, endMs: 59, agent: "general" }),
    span({ id: "ct2", parentId: "b", sessionId: "c2", kind: "turn", name: "Turn 1", startMs: 16, endMs: 79, agent: "general" }),
    span({ id: "cs1", parentId: "ct1", sessionId: "c1", kind: "step", name: "demo", startMs: 12, endMs: 58, agent: "general" }),
    span({ id: "cs2", parentId: "ct2", sessionId: "c2", kind: "step", name: "demo", startMs: 17, endMs: 78, agent: "general" }),
    span({ id: "ca", parentId: "cs1", sessionId: "c1", kind: "tool", name: "bash", startMs: 20, endMs: 30, status: "error", agent: "general" }),
    span({ id: "cb", parentId: "cs2", sessionId: "c2", kind: "tool", name: "read", startMs: 40, endMs: 70, agent: "general" }),
    span({ id: "r", parentId: "st1", kind: "tool", name: "read", startMs: 85, endMs: 95 }),
  ];
}

/** `count` spans: turns of steps of tools, `fanout` tools a step, for size and speed tests. */
export function bigTree(count: number, fanout = 50): Span[] {
  const spans: Span[] = [];
  let t = 0;
  for (let turn = 0; spans.length < count; turn++) {
    const turnId = `turn${turn}`;
    spans.push(span({ id: turnId, kind: "turn", name: `Turn ${turn + 1}`, startMs: t, endMs: t + fanout * 10 + 2 }));
    const stepId = `step${turn}`;
    spans.push(span({ id: stepId, parentId: turnId, kind: "step", name: "demo", startMs: t + 1, endMs: t + fanout * 10 + 1 }));
    for (let i = 0; i < fanout && spans.length < count; i++) {
      spans.push(span({ id: `tool${turn}-${i}`, parentId: stepId, name: i % 7 === 0 ? "bash" : "read", startMs: t + 1 + i * 10, endMs: t + 9 + i * 10, status: i % 97 === 13 ? "error" : "completed" }));
    }
    t += fanout * 10 + 5;
  }
  return spans.slice(0, count);
}
