import { describe, expect, it } from "vitest";
import { deleteConsequences } from "./consequences";

describe("deleteConsequences", () => {
  it("names the session and its runner, counts its sub-agents and says the archive stays", () => {
    expect(deleteConsequences({ sessionId: "s", title: "Fix the tests", runnerName: "embedded", subagents: 2 })).toEqual([
      "Delete “Fix the tests” from the runner “embedded”?",
      "Its 2 sub-agent sessions go with it.",
      "The archive keeps the whole tree, read-only (an admin can purge it); no one can prompt it again.",
    ]);
  });

  it("says when there are no sub-agents, one sub-agent, or no title", () => {
    expect(deleteConsequences({ sessionId: "s", title: "", runnerName: "r", subagents: 0 }).slice(0, 2)).toEqual([
      "Delete “Untitled session” from the runner “r”?",
      "It has no sub-agents.",
    ]);
    expect(deleteConsequences({ sessionId: "s", title: "t", runnerName: "r", subagents: 1 })[1]).toBe("Its 1 sub-agent session goes with it.");
  });
});
