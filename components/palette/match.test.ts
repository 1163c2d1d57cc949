import { describe, expect, it } from "vitest";
import { MATCH, matchScore } from "./match";

describe("matchScore", () => {
  it("ranks the whole name, then its start, then a word's start, then anywhere inside", () => {
    expect(matchScore("Runners", "runners")).toBe(MATCH.exact);
    expect(matchScore("Runners", "run")).toBe(MATCH.prefix);
    expect(matchScore("Shared links", "li")).toBe(MATCH.wordStart);
    expect(matchScore("fix-login bug", "login")).toBe(MATCH.wordStart);
    expect(matchScore("Shared links", "inks")).toBe(MATCH.inside);
  });
  it("finds a word start after an earlier match inside a word", () => {
    expect(matchScore("relink link", "link")).toBe(MATCH.wordStart);
  });
  it("ignores case and the spaces around what was typed, and refuses what is not there", () => {
    expect(matchScore("Deploy ÉTÉ", "  été ")).toBe(MATCH.wordStart);
    expect(matchScore("Sessions", "sessionz")).toBeNull();
    expect(matchScore("", "a")).toBeNull();
  });
});
