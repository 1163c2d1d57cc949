import { describe, expect, it } from "vitest";
import type { ArchivedPart, ArchivedSession, ArchivedTree } from "~/server/archive/read";
import { linkState } from "./links";
import { projectTree } from "./project";

const at = new Date("2026-12-01T10:00:00Z");
const usage = { input: 1, output: 1, reasoning: 0, cacheRead: 0, cacheWrite: 0 };

function part(id: string, type: string, extra: Partial<ArchivedPart> = {}): ArchivedPart {
  return { id, opencodeId: id, type, text: null, data: { type }, startedAt: at, endedAt: at, tool: null, ...extra };
}

function session(id: string, parentId: string | null, parts: ArchivedPart[], children: string[] = []): ArchivedSession {
  return {
    id, opencodeId: id, parentId, spawnedBy: null, revertedAt: null, title: id, directory: "/w", agent: null, providerId: null, modelId: null,
    status: "idle", createdAt: at, lastActivityAt: at, archiveState: "archived", archiveError: null, archiveVersion: 1, lastArchivedAt: at, deletedAt: null,
    children,
    answers: [{ type: "answer", id: `answer:per-${id}`, requestId: `per-${id}`, kind: "permission", reply: "once", by: "Ada Admin", at: at.toISOString(), sessionId: id }],
    turns: [{ id: `${id}-t1`, index: 1, userMessageId: "u", status: "completed", error: null, revertedAt: null, startedAt: at, endedAt: at,
      messages: [{ id: `${id}-m1`, opencodeId: "m", role: "assistant", agent: null, providerId: null, modelId: null, usage, cost: 0, error: null, createdAt: at, completedAt: at, parts }] }],
  };
}

const task = part("p-task", "tool", {
  data: { type: "tool", state: { status: "completed", input: { prompt: "go" }, output: "child said hi", metadata: { output: "child said hi" }, title: "task" } },
  tool: { callId: "c1", tool: "task", title: "task", status: "completed", input: { prompt: "go" }, output: "child said hi", outputTruncated: false, outputBytes: 13, error: null, startedAt: at, endedAt: at, durationMs: 0, childSessionId: "child" },
});
const root = session("root", null, [part("p-think", "reasoning", { text: "hmm" }), part("p-text", "text", { text: "done" }), task], ["child"]);
const tree: ArchivedTree = {
  requestedId: "child",
  root,
  sessions: { root, child: session("child", "root", [part("c-text", "text", { text: "hi" })]) },
  runner: { id: "r", name: "embedded", kind: "embedded", status: "healthy" },
  forkedFrom: { sessionId: "other", title: "another tree", turnIndex: 1 },
  forks: [{ sessionId: "fork", title: "a fork", turnIndex: 2 }],
};

describe("what a share link shows of its tree", () => {
  it("shows the whole tree from its root, and no other tree; a sub-agent's page only when sub-agents are shown", () => {
    const shown = projectTree(tree, { reasoning: true, toolOutputs: true, subAgents: true });
    expect(Object.keys(shown.sessions)).toEqual(["root", "child"]);
    // The fixture is the child's page of the tree.
    expect(shown.requestedId).toBe("child");
    expect(projectTree(tree, { reasoning: true, toolOutputs: true, subAgents: false }).requestedId).toBe("root");
    expect(shown.forkedFrom).toBeNull();
    expect(shown.forks).toEqual([]);
    // Who answered the agent's requests is the team's business.
    expect(tree.root.answers).toHaveLength(1);
    expect(Object.values(shown.sessions).every((s) => s.answers.length === 0)).toBe(true);
    expect(JSON.stringify(shown)).not.toContain("Ada Admin");
  });

  it("leaves out sub-agents, reasoning and tool outputs when asked, raw copies included", () => {
    const shown = projectTree(tree, { reasoning: false, toolOutputs: false, subAgents: false });
    expect(Object.keys(shown.sessions)).toEqual(["root"]);
    expect(shown.root.children).toEqual([]);
    const parts = shown.root.turns[0]!.messages[0]!.parts;
    expect(parts.map((p) => p.type)).toEqual(["text", "tool"]);
    expect(parts[1]!.tool).toMatchObject({ output: null, childSessionId: null, input: { prompt: "go" } });
    expect(JSON.stringify(shown)).not.toContain("child said hi");
    expect(JSON.stringify(shown)).not.toContain("hmm");
  });
});

describe("link state", () => {
  const now = new Date("2026-12-02T00:00:00Z");
  it("is revoked before expired before switched off", () => {
    expect(linkState({ revokedAt: now, expiresAt: new Date(0) }, false, now)).toBe("revoked");
    expect(linkState({ revokedAt: null, expiresAt: now }, false, now)).toBe("expired");
    expect(linkState({ revokedAt: null, expiresAt: null }, false, now)).toBe("sharing-off");
    expect(linkState({ revokedAt: null, expiresAt: new Date(now.getTime() + 1) }, true, now)).toBe("active");
  });
});
