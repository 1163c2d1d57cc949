import { describe, expect, it } from "vitest";
import { sampleTree } from "./fixture";
import { filterOptions, isFiltering, keptSpans, NO_FILTER, toggleFilter } from "./filters";
import { layoutLanes, visibleLanes } from "./lanes";
import { nextFailure } from "./failures";

const lanes = layoutLanes(sampleTree());
const shown = (filter = NO_FILTER) => {
  const kept = keptSpans(lanes, filter);
  return visibleLanes(lanes, new Set(), kept?.keep ?? null).map((i) => lanes[i]!.span.id);
};

describe("filters", () => {
  it("keep the ancestors of every match, so a call shows where it happened", () => {
    expect(shown({ ...NO_FILTER, tools: ["bash"] })).toEqual(["t1", "st1", "a", "ct1", "cs1", "ca"]);
    const kept = keptSpans(lanes, { ...NO_FILTER, tools: ["bash"] })!;
    expect([...kept.match]).toEqual(["ca"]);
  });

  it("combine: status and session", () => {
    expect(shown({ ...NO_FILTER, statuses: ["error"] })).toEqual(["t1", "st1", "a", "ct1", "cs1", "ca"]);
    expect(shown({ ...NO_FILTER, sessions: ["c2"], tools: ["read"] })).toEqual(["t1", "st1", "b", "ct2", "cs2", "cb"]);
    expect(shown({ ...NO_FILTER, agents: ["general"], statuses: ["error"] })).toEqual(["t1", "st1", "a", "ct1", "cs1", "ca"]);
    expect(shown({ ...NO_FILTER, tools: ["nothing"] })).toEqual([]);
  });

  it("count sub-agent calls as tool calls by name", () => {
    expect(shown({ ...NO_FILTER, tools: ["task"] })).toEqual(["t1", "st1", "a", "b"]);
  });

  it("do nothing when empty, and offer what is in the trace", () => {
    expect(keptSpans(lanes, NO_FILTER)).toBeNull();
    expect(shown()).toHaveLength(11);
    expect(filterOptions(sampleTree())).toEqual({ tools: ["bash", "read", "task"], statuses: ["completed", "error"], sessions: ["root", "c1", "c2"], agents: ["build", "general"] });
    const f = toggleFilter(NO_FILTER, "tools", "bash");
    expect(isFiltering(f)).toBe(true);
    expect(isFiltering(toggleFilter(f, "tools", "bash"))).toBe(false);
  });
});

describe("next failure", () => {
  const spans = sampleTree().map((s) => (s.id === "cb" ? { ...s, status: "interrupted" as const } : s.id === "r" ? { ...s, status: "aborted" as const } : s));
  const l = layoutLanes(spans);
  const id = (i: number | null) => (i === null ? null : l[i]!.span.id);

  it("goes to the next error or interrupted span in lane order, wrapping around", () => {
    expect(id(nextFailure(l, null))).toBe("ca");
    expect(id(nextFailure(l, "ca"))).toBe("cb");
    expect(id(nextFailure(l, "cb"))).toBe("ca");
    expect(id(nextFailure(l, "b"))).toBe("cb");
  });

  it("stays within a filter and says when there is none", () => {
    expect(id(nextFailure(l, "ca", new Set(["ca"])))).toBe("ca");
    expect(nextFailure(layoutLanes(sampleTree().filter((s) => s.status !== "error")), null)).toBeNull();
    expect(nextFailure([], null)).toBeNull();
  });
});
