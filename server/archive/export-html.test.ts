import { describe, expect, it } from "vitest";
import { assembleTree } from "./read";
import { escapeHtml, exportHtml } from "./export-html";

const at = new Date("2026-11-23T10:00:00Z");
const session = (id: string, title: string) => ({
  id, opencodeId: `ses_${id}`, title, directory: "/w", agent: null, providerId: null, modelId: null, status: "idle", revertedAt: null,
  createdAt: at, lastActivityAt: at, archiveState: "archived", archiveError: null, archiveVersion: 1, lastArchivedAt: at, deletedAt: null,
});
const message = (id: string, sessionId: string, role: string) => ({
  id, sessionId, turnId: `t-${sessionId}`, opencodeId: `msg_${id}`, role, agent: null, providerId: null, modelId: null,
  tokensInput: 1, tokensOutput: 1, tokensReasoning: 0, tokensCacheRead: 0, tokensCacheWrite: 0, cost: 0, error: null, createdAt: at, completedAt: at,
});

describe("exportHtml", () => {
  it("is one offline file: hostile output escaped, no script, sub-agents nested under their call", () => {
    const tree = assembleTree("root", "root", {
      sessions: [session("root", "<b>Root</b>"), session("child", "Child task")],
      relations: [{ parentId: "root", childId: "child", kind: "subagent", toolCallId: "call_1", turnId: "t-root", createdAt: at, turn: { index: 1 }, parent: { title: "" }, child: { title: "" } }],
      turns: ["root", "child"].map((s) => ({ id: `t-${s}`, sessionId: s, index: 1, userMessageId: `msg_u-${s}`, status: "completed", error: null, revertedAt: null, startedAt: at, endedAt: at })),
      messages: [message("u-root", "root", "user"), message("a-root", "root", "assistant"), message("a-child", "child", "assistant")],
      parts: [
        { id: "p1", messageId: "u-root", opencodeId: "prt_1", type: "text", text: "Hi <script>alert(1)</script>", data: {}, startedAt: null, endedAt: null },
        { id: "p2", messageId: "a-root", opencodeId: "prt_2", type: "tool", text: null, data: {}, startedAt: null, endedAt: null },
        { id: "p3", messageId: "a-child", opencodeId: "prt_3", type: "text", text: `<img src=x onerror=alert(1)> child says "hi"`, data: {}, startedAt: null, endedAt: null },
      ],
      spans: [{ partId: "p2", callId: "call_1", tool: "task", title: "delegate", status: "completed", input: { prompt: "</pre><script>" }, output: "done", outputTruncated: false, outputBytes: 4, error: null, startedAt: at, endedAt: at, durationMs: 1, childSessionId: "child" }],
      runner: { id: "r", name: "embedded", kind: "embedded", status: "healthy" },
    });
    const html = exportHtml(tree, at);
    expect(html).not.toMatch(/<script|<img|<link|src=["']?http/i);
    expect(html).toContain("Hi &lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt; child says &quot;hi&quot;");
    expect(html).toContain("&lt;b&gt;Root&lt;/b&gt;");
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'`);
    // The child's conversation sits inside the task call's sub-agent block.
    const toolAt = html.indexOf("Tool task: delegate");
    const childAt = html.indexOf("Sub-agent: Child task");
    expect(toolAt).toBeGreaterThan(0);
    expect(childAt).toBeGreaterThan(toolAt);
    expect(html.indexOf("child says")).toBeGreaterThan(childAt);
    expect(html.match(/Sub-agent: Child task/g)).toHaveLength(1);
  });

  it("marks what HTML cannot carry: NUL as \u2400, an unpaired surrogate as U+FFFD, pairs kept", () => {
    expect(escapeHtml("a\u0000b \uD800 \uDC00 \uD83D\uDE00 <")).toBe("a\u2400b \uFFFD \uFFFD \uD83D\uDE00 &lt;");
  });
});
