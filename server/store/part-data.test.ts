import { describe, expect, it } from "vitest";
import { rawPartData, storedPartData } from "./part-data";

const answer = { id: "prt_1", type: "text", text: "the whole answer", time: { start: 1, end: 2 } };

describe("part data", () => {
  it("stores a text part's data without the text the text column holds, and reads it whole again", () => {
    const stored = storedPartData(answer, answer.text);
    expect(stored).toEqual({ id: "prt_1", type: "text", time: { start: 1, end: 2 } });
    expect(JSON.stringify(stored)).not.toContain("the whole answer");
    expect(rawPartData({ data: stored, text: answer.text })).toEqual(answer);
  });

  it("reads the column's text over a copy an older row kept in its data (deltas extend the column only)", () => {
    expect(rawPartData({ data: { ...answer, text: "the whole" }, text: "the whole answer" })).toEqual(answer);
    expect(rawPartData({ data: answer, text: null })).toEqual(answer);
  });

  it("keeps everything of a part whose text is not stored apart", () => {
    const tool = { id: "prt_2", type: "tool", tool: "read", state: { status: "completed", output: "text" } };
    expect(storedPartData(tool, undefined)).toBe(tool);
    expect(rawPartData({ data: tool, text: null })).toBe(tool);
  });
});
