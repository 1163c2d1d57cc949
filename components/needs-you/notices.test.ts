import { describe, expect, it } from "vitest";
import { newNotices } from "./notices";
import type { NeedsYouView, WaitingView } from "./types";

const permission = (id: string, rootTitle = "Fix the build"): WaitingView => ({
  sessionId: `s-${id}`,
  sessionTitle: "child",
  rootId: "root",
  rootTitle,
  runnerName: "alpha",
  since: null,
  request: { type: "permission", id, permission: "bash", patterns: ["npm test"], always: [], metadata: { command: "npm test" } },
});
const view = (over: Partial<NeedsYouView>): NeedsYouView => ({ waiting: [], running: [], ended: [], ...over });

describe("newNotices", () => {
  it("says nothing on the first read: opening a tab is not news", () => {
    expect(newNotices(undefined, view({ waiting: [permission("per_1")] }))).toEqual([]);
  });

  it("tells of a request that was not waiting before, once, and links to the session that asks", () => {
    const before = view({ waiting: [permission("per_1")] });
    const now = view({ waiting: [permission("per_1"), permission("per_2", "Deploy")] });
    expect(newNotices(before, now)).toEqual([
      { tag: "request:per_2", title: "Permission needed", body: "bash: npm test · Deploy", href: "/sessions/s-per_2" },
    ]);
    expect(newNotices(now, now)).toEqual([]);
  });

  it("tells of a run that was going and has finished or failed, not of one that ended before", () => {
    const at = new Date("2026-12-03T12:00:00Z");
    const before = view({ running: [{ rootId: "a", title: "A" }, { rootId: "b", title: "B" }] });
    const now = view({
      ended: [
        { rootId: "a", title: "A", status: "idle", at },
        { rootId: "b", title: "B", status: "error", at },
        { rootId: "c", title: "C", status: "idle", at },
      ],
    });
    expect(newNotices(before, now).map((n) => [n.title, n.body, n.href])).toEqual([
      ["Run finished", "A", "/sessions/a"],
      ["Run failed", "B", "/sessions/b"],
    ]);
  });
});
