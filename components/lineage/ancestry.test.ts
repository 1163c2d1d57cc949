import { describe, expect, it } from "vitest";
import { ancestry } from "./ancestry";

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
