import { describe, expect, it } from "vitest";
import { sampleTree, span } from "./fixture";
import { anyRunning, lastEnd, mergeSpans } from "./merge";

describe("merging live upserts", () => {
  it("replaces by id, appends new ones and keeps start order", () => {
    const list = sampleTree();
    const done = { ...list.find((s) => s.id === "cb")!, status: "error" as const };
    const early = span({ id: "z", startMs: 5 });
    const merged = mergeSpans(list, [done, early]);
    expect(merged).toHaveLength(list.length + 1);
    expect(merged.find((s) => s.id === "cb")!.status).toBe("error");
    expect(merged.map((s) => s.startMs)).toEqual([...merged.map((s) => s.startMs)].sort((a, b) => a - b));
    expect(list.find((s) => s.id === "cb")!.status).toBe("completed");
  });

  it("returns the same list for an empty batch", () => {
    const list = sampleTree();
    expect(mergeSpans(list, [])).toBe(list);
  });

  it("never lets an older page undo a span that live updates finished", () => {
    const finished = [span({ id: "x", endMs: 50, status: "completed" })];
    const stale = span({ id: "x", endMs: null, status: "running" });
    expect(mergeSpans(finished, [stale], "finished")).toBe(finished);
    expect(mergeSpans(finished, [stale], "incoming")[0]!.status).toBe("running");
    const running = [stale];
    expect(mergeSpans(running, [finished[0]!], "finished")[0]!.status).toBe("completed");
  });

  it("a span growing live, then finishing", () => {
    let list = mergeSpans([], [span({ id: "t", startMs: 0, endMs: null, status: "running" })]);
    expect(anyRunning(list)).toBe(true);
    list = mergeSpans(list, [span({ id: "t", startMs: 0, endMs: 40, status: "interrupted" })]);
    expect(anyRunning(list)).toBe(false);
    expect(list).toHaveLength(1);
    expect(lastEnd(list)).toBe(40);
    expect(lastEnd([])).toBeNull();
  });
});
