import { describe, expect, it } from "vitest";
import { bigTree, sampleTree, span } from "./fixture";
import { ancestorIds, descendantCount, laneIndex, layoutLanes, revealLane, visibleLanes } from "./lanes";

const order = (spans = sampleTree()) => layoutLanes(spans).map((l) => `${"  ".repeat(l.depth)}${l.span.id}`);

describe("lanes of the flat span list", () => {
  it("orders depth first, children by start, with their depth", () => {
    expect(order()).toEqual(["t1", "  st1", "    a", "      ct1", "        cs1", "          ca", "    b", "      ct2", "        cs2", "          cb", "    r"]);
  });

  it("does not depend on the order the spans arrive in", () => {
    const spans = sampleTree();
    expect(order([...spans].reverse())).toEqual(order(spans));
  });

  it("knows each subtree's extent and parent", () => {
    const lanes = layoutLanes(sampleTree());
    const at = laneIndex(lanes);
    expect(lanes[at.get("a")!]!.end).toBe(at.get("b"));
    expect(descendantCount(lanes, at.get("st1")!)).toBe(9);
    expect(descendantCount(lanes, at.get("r")!)).toBe(0);
    expect(lanes[at.get("cs2")!]!.parent).toBe(at.get("ct2"));
    expect(ancestorIds(lanes, at.get("cb")!)).toEqual(["cs2", "ct2", "b", "st1", "t1"]);
  });

  it("draws a span whose parent has not arrived as a root, then moves it under its parent", () => {
    const spans = sampleTree();
    const early = spans.filter((s) => s.id !== "b");
    expect(order(early)).toContain("ct2");
    expect(layoutLanes(early).find((l) => l.span.id === "ct2")!.depth).toBe(0);
    expect(layoutLanes(spans).find((l) => l.span.id === "ct2")!.depth).toBe(3);
  });

  it("survives a parent cycle (bad data) and shows every span once", () => {
    const lanes = layoutLanes([span({ id: "x", parentId: "y" }), span({ id: "y", parentId: "x" }), span({ id: "z" })]);
    expect(lanes.map((l) => l.span.id).sort()).toEqual(["x", "y", "z"]);
  });

  it("hides the descendants of collapsed spans, and reveals a lane by expanding its ancestors", () => {
    const lanes = layoutLanes(sampleTree());
    const ids = (shown: number[]) => shown.map((i) => lanes[i]!.span.id);
    expect(ids(visibleLanes(lanes, new Set(["a"])))).toEqual(["t1", "st1", "a", "b", "ct2", "cs2", "cb", "r"]);
    expect(ids(visibleLanes(lanes, new Set(["t1", "a"])))).toEqual(["t1"]);
    const collapsed = revealLane(lanes, laneIndex(lanes).get("ca")!, new Set(["a", "b", "cs1"]));
    expect([...collapsed]).toEqual(["b"]);
    expect(ids(visibleLanes(lanes, collapsed))).toContain("ca");
  });

  it("applies a filter's kept set by skipping whole subtrees", () => {
    const lanes = layoutLanes(sampleTree());
    const shown = visibleLanes(lanes, new Set(), new Set(["t1", "st1", "r"]));
    expect(shown.map((i) => lanes[i]!.span.id)).toEqual(["t1", "st1", "r"]);
  });

  it("lays out 10,000 spans quickly and deeply nested ones without recursion", () => {
    const spans = bigTree(10_000);
    const started = performance.now();
    const lanes = layoutLanes(spans);
    expect(performance.now() - started).toBeLessThan(500);
    expect(lanes).toHaveLength(10_000);
    const chain = Array.from({ length: 20_000 }, (_, i) => span({ id: `d${i}`, parentId: i ? `d${i - 1}` : null, startMs: i }));
    expect(layoutLanes(chain).at(-1)!.depth).toBe(19_999);
  });
});
