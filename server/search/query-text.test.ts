import { describe, expect, it } from "vitest";
import { parseSearchQuery, prefixQuery, SearchQueryError } from "./query-text";

describe("parseSearchQuery", () => {
  it("reads words, quoted phrases, prefixes and exclusions", () => {
    expect(parseSearchQuery(`parser "exact words" pars* -legacy`)).toEqual([
      { kind: "word", text: "parser", negated: false },
      { kind: "phrase", text: "exact words", negated: false },
      { kind: "prefix", text: "pars", negated: false },
      { kind: "word", text: "legacy", negated: true },
    ]);
    expect(parseSearchQuery(`-"old plan" src/search.ts`)).toEqual([
      { kind: "phrase", text: "old plan", negated: true },
      { kind: "word", text: "src/search.ts", negated: false },
    ]);
  });

  it("keeps only word characters of a prefix, so tsquery syntax cannot be injected", () => {
    expect(parseSearchQuery("a&b|!c:*")).toEqual([{ kind: "prefix", text: "a b c", negated: false }]);
    expect(parseSearchQuery("a&b|!c")).toEqual([{ kind: "word", text: "a&b|!c", negated: false }]);
    expect(parseSearchQuery("fo'o&!(b*")).toEqual([{ kind: "prefix", text: "fo o b", negated: false }]);
    expect(prefixQuery("fo o b")).toBe("fo & o & b:*");
  });

  it("an unterminated quote is a phrase to the end", () => {
    expect(parseSearchQuery(`"half open`)).toEqual([{ kind: "phrase", text: "half open", negated: false }]);
  });

  it("refuses a query with nothing to find", () => {
    expect(() => parseSearchQuery("-only -excluded")).toThrow(SearchQueryError);
    expect(() => parseSearchQuery(`* "" -`)).toThrow(/at least one word/);
  });
});
