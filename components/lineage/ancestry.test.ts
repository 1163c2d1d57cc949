import { describe, expect, it } from "vitest";
import { ancestry, forkSourceOf } from "./ancestry";

describe("ancestry", () => {
  const members = [
    { id: "root", title: "Root", parentId: null },
    { id: "child", title: "Child", parentId: "root" },
    { id: "grandchild", title: "Grandchild", parentId: "child" },
    { id: "loop-a", title: "A", parentId: "loop-b" },
    { id: "loop-b", title: "B", parentId: "loop-a" },
  ];
  it("leads from the origin down to the parent", () => {
    expect(ancestry(members, "grandchild").map((m) => m.id)).toEqual(["root", "child"]);
    expect(ancestry(members, "root")).toEqual([]);
  });
  it("stops at a missing parent or a cycle", () => {
    expect(ancestry([{ id: "x", title: "", parentId: "gone" }], "x")).toEqual([]);
    expect(ancestry(members, "loop-a").map((m) => m.id)).toEqual(["loop-b"]);
  });
});

describe("forkSourceOf", () => {
  const members = [
    { id: "origin", title: "Origin", parentId: null, relation: null, turnIndex: null },
    { id: "kid", title: "Kid", parentId: "origin", relation: "subagent", turnIndex: 1 },
    { id: "fork", title: "Fork", parentId: "origin", relation: "fork", turnIndex: 2 },
  ];
  it("names a fork's source and turn, and nothing for other members", () => {
    expect(forkSourceOf(members, "fork")).toEqual({ source: members[0], turnIndex: 2 });
    expect(forkSourceOf(members, "kid")).toBeUndefined();
    expect(forkSourceOf(members, "origin")).toBeUndefined();
    expect(forkSourceOf(members.slice(1), "fork")).toBeUndefined();
  });
});
