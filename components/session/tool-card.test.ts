import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { ToolCard } from "./tool-card";
import type { ToolEntry } from "./types";

// What a file-writing call claims: the write tool creates a file or replaces one whole (its
// metadata says which, as opencode 1.18 reports it); only a new file is a diff of additions.
const write = (metadata: Record<string, unknown>): ToolEntry => ({
  callId: "call_1",
  name: "write",
  status: "completed",
  input: { filePath: "/w/notes.txt", content: "first line\n- a dash line\n" },
  output: "Wrote file successfully.",
  metadata,
});

describe("the write tool's card", () => {
  it("shows a new file as lines added to nothing", () => {
    const html = renderToStaticMarkup(createElement(ToolCard, { tool: write({ exists: false, filepath: "/w/notes.txt" }) }));
    expect(html).toContain('data-testid="diff"');
    expect(html).toContain("--- /dev/null");
    expect(html).toContain("+first line");
    expect(html).not.toContain("replaced whole");
  });

  it("shows a replaced file as its new content, not as a new file", () => {
    const html = renderToStaticMarkup(createElement(ToolCard, { tool: write({ exists: true, filepath: "/w/notes.txt" }) }));
    expect(html).toContain('data-testid="replaced-file"');
    expect(html).toContain("replaced whole");
    expect(html).not.toContain("/dev/null");
    // The content as it is: no line reads as added or removed.
    expect(html).toContain("first line\n- a dash line</pre>");
  });
});
