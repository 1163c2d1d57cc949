import { describe, expect, it } from "vitest";
import { hitsLabel } from "./format";

describe("hitsLabel", () => {
  it("says how many of a tree's matches the snippets show when they show fewer", () => {
    expect(hitsLabel(6, 5)).toBe("6 matches, the best 5 shown");
    expect(hitsLabel(5, 5)).toBe("5 matches");
    expect(hitsLabel(1, 1)).toBe("1 match");
  });
});
