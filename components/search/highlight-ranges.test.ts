import { describe, expect, it } from "vitest";
import { matchOffsets } from "./highlight-ranges";

describe("matchOffsets", () => {
  it("marks whole words that start with a term or its stem, in any case", () => {
    const text = "The Lexer handled it; relexer not; lexers yes";
    expect(matchOffsets(text, ["lexer"]).map(([a, b]) => text.slice(a, b))).toEqual(["Lexer", "lexers"]);
    expect(matchOffsets(text, ["handles"]).map(([a, b]) => text.slice(a, b))).toEqual(["handled"]);
  });

  it("finds nothing where the word is not", () => {
    expect(matchOffsets("nothing to see", ["lexer"])).toEqual([]);
  });
});
