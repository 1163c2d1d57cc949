import { describe, expect, it } from "vitest";
import { MATCH_END, MATCH_START, snippetSegments } from "./snippet";

describe("snippetSegments", () => {
  it("splits a headline into text and matches", () => {
    expect(snippetSegments(`call the ${MATCH_START}parser${MATCH_END} twice, ${MATCH_START}parse${MATCH_END}`)).toEqual([
      { text: "call the ", match: false },
      { text: "parser", match: true },
      { text: " twice, ", match: false },
      { text: "parse", match: true },
    ]);
  });

  it("keeps markup as text and drops unpaired markers", () => {
    expect(snippetSegments(`<img src=x onerror=alert(1)> ${MATCH_START}x`)).toEqual([
      { text: "<img src=x onerror=alert(1)> x", match: false },
    ]);
  });
});
