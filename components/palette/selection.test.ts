import { describe, expect, it } from "vitest";
import { moveSelection, selectedIndex } from "./selection";

const keys = ["page:/", "page:/runners", "session:s1"];

describe("palette selection", () => {
  it("starts on the best match and stays on what was picked while it is listed", () => {
    expect(selectedIndex(keys, null)).toBe(0);
    expect(selectedIndex(keys, "session:s1")).toBe(2);
    expect(selectedIndex(["session:s0", ...keys], "session:s1")).toBe(3);
    expect(selectedIndex(keys, "session:gone")).toBe(0);
    expect(selectedIndex([], null)).toBe(-1);
  });
  it("moves with the arrows and wraps around at either end", () => {
    expect(moveSelection(keys, 0, "ArrowDown")).toBe("page:/runners");
    expect(moveSelection(keys, 2, "ArrowDown")).toBe("page:/");
    expect(moveSelection(keys, 0, "ArrowUp")).toBe("session:s1");
  });
  it("leaves other keys, and an empty list, alone", () => {
    expect(moveSelection(keys, 0, "Enter")).toBeNull();
    expect(moveSelection([], -1, "ArrowDown")).toBeNull();
  });
});
