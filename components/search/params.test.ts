import { describe, expect, it } from "vitest";
import { filtersFromParams, highlightTerms, matchHref } from "./params";

describe("search addresses", () => {
  it("reads the filters of a submitted form, leaving out empty and malformed fields", () => {
    expect(filtersFromParams({ q: "x", runner: "", status: "error", minCost: "0.5", maxCost: "lots", errors: "yes", subagents: "no", from: "2026-12-01" })).toEqual({
      status: "error", minCost: 0.5, hasErrors: true, hasSubAgents: false, from: "2026-12-01",
    });
  });

  it("links a match to its session's turn with the words to mark", () => {
    expect(matchHref({ sessionId: "s1", turnIndex: 3 }, `lexer "two words"`)).toBe("/sessions/s1?hl=lexer+%22two+words%22&turn=3#turn-3");
    expect(matchHref({ sessionId: "s1", turnIndex: null }, "x")).toBe("/sessions/s1?hl=x");
  });

  it("marks the words of a query, not its exclusions or syntax", () => {
    expect(highlightTerms(`Lexer "two words" pars* -legacy -"old plan" src/a.ts`)).toEqual(["lexer", "two", "words", "pars", "src/a.ts"]);
  });
});
