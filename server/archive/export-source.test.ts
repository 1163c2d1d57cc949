import { describe, expect, it } from "vitest";
import { windowsOf } from "./export-source";

describe("windowsOf", () => {
  it("cuts consecutive turns before a window would pass the budget; a longer turn is a window of its own", () => {
    const parts = { a: 200, b: 250, c: 100, d: 900, e: 10, f: 0 };
    expect(windowsOf(["a", "b", "c", "d", "e", "f"], parts, 500)).toEqual([["a", "b"], ["c"], ["d"], ["e", "f"]]);
  });

  it("counts a turn without parts as one, so a window of empty turns stays bounded", () => {
    const ids = Array.from({ length: 7 }, (_, i) => `t${i}`);
    expect(windowsOf(ids, {}, 3)).toEqual([["t0", "t1", "t2"], ["t3", "t4", "t5"], ["t6"]]);
    expect(windowsOf([], {}, 3)).toEqual([]);
  });
});
