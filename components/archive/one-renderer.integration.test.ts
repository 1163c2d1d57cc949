import { randomUUID } from "node:crypto";
import { createElement, type ReactElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { expect, it } from "vitest";
import { describeEachDatabase } from "~/server/testing/database";
import { loadArchivedTree } from "~/server/archive/read";
import { syncTree } from "~/server/archive/sync";
import { MemorySource, sourceTreeFromRows, subagentRunRows, SUBAGENT_RUN_ROOT } from "~/server/archive/testing";
import { loadSnapshot } from "~/server/store/snapshot";
import { Conversation } from "~/components/session/conversation-row";
import { conversationRows } from "~/components/session/rows";
import type { SnapshotState } from "~/components/session/types";
import { TreeConversation } from "./tree-conversation";
import { loadExportOutline, readExportTurns, treeSource } from "~/server/archive/export-source";
import { exportJson, exportJsonText } from "~/server/archive/export";
import { textStream } from "~/server/archive/download-response";
import { exportHtmlFile } from "./export-file";

// One model, one renderer: the live view (the snapshot a viewer gets, its sub-agents expanded
// under their task calls), the archived page and the HTML export of the same tree show the
// same rows in the same order, hidden and synthetic parts left out alike.

/** What a reader sees row by row: each row's element (its kind, part id, tool and status) and the prompts' text. */
function rowsSeen(html: string): string[] {
  const tags = /<[a-z]+ [^>]*data-testid="(user-prompt|assistant-text|tool-card|reasoning|step-usage|message-error|session-error|compaction|automatic-prompt|file-part|patch-part)"[^>]*>/g;
  return [...html.matchAll(tags)].map((m) => m[0].replace(/ (class|title|open)="[^"]*"/g, "").replace(/ open=""/g, ""));
}

function liveTree(state: SnapshotState, sessionId: string): ReactElement {
  const view = state.sessions[sessionId]!;
  return createElement(Conversation, {
    rows: conversationRows(view),
    slots: { toolExtra: (tool) => (tool.childSessionId && state.sessions[tool.childSessionId] ? liveTree(state, tool.childSessionId) : null) },
  });
}

describeEachDatabase("one renderer for every view of a tree", (database) => {
  it("live, archived and exported views of a tree with sub-agents show the same rows", { timeout: 60_000 }, async () => {
    const db = database.client;
    const runnerId = (await db.runner.create({ data: { name: `runtime-${randomUUID()}`, kind: "remote", url: "", status: "stopped" } })).id;
    const sourceTree = sourceTreeFromRows(subagentRunRows(), SUBAGENT_RUN_ROOT);
    // A prompt part opencode adds itself (synthetic) and one it ignores: shown by no view.
    const root = sourceTree.sessions.find((s) => s.info.id === SUBAGENT_RUN_ROOT)!;
    const prompt = (root.messages as { info: { role: string; id: string }; parts: Record<string, unknown>[] }[]).find((m) => m.info.role === "user")!;
    const base = { sessionID: SUBAGENT_RUN_ROOT, messageID: prompt.info.id, type: "text" };
    prompt.parts.push({ ...base, id: "prt_zzzzzzzzzzzzzzzzzzzzzzzzz1", text: "SYNTHETIC-NOTE", synthetic: true }, { ...base, id: "prt_zzzzzzzzzzzzzzzzzzzzzzzzz2", text: "IGNORED-NOTE", ignored: true });
    // An answer's text of whitespace only (Unicode spaces too), ended: an empty row no view shows.
    const answer = (root.messages as { info: { role: string; id: string }; parts: Record<string, unknown>[] }[]).find((m) => m.info.role === "assistant")!;
    answer.parts.push({ sessionID: SUBAGENT_RUN_ROOT, messageID: answer.info.id, type: "text", id: "prt_zzzzzzzzzzzzzzzzzzzzzzzzz3", text: "\u00a0\u3000 \n", time: { start: 1, end: 2 } });
    await syncTree(db, new MemorySource(sourceTree), { runnerId, rootOpencodeId: SUBAGENT_RUN_ROOT });
    const rootRow = await db.session.findFirstOrThrow({ where: { runnerId, opencodeId: SUBAGENT_RUN_ROOT } });

    const { state } = await loadSnapshot(db, rootRow.id);
    const live = renderToStaticMarkup(liveTree(state, SUBAGENT_RUN_ROOT));
    const tree = await loadArchivedTree(db, rootRow.id);
    const archived = renderToStaticMarkup(createElement(TreeConversation, { tree, session: tree.root, options: { links: true } }));
    // As the download routes serve it: rendered in the export worker, streamed; the archive's
    // export from the tree's outline, reading its turns a window at a time, the share's from a tree in memory.
    const exportedAt = new Date();
    const stored = { ...(await loadExportOutline(db, rootRow.id)), turns: (ids: string[], bare?: string[]) => readExportTurns(db, rootRow.id, ids, bare) };
    const exported = await new Response(exportHtmlFile(stored, exportedAt)).text();
    expect(await new Response(exportHtmlFile(treeSource(tree), exportedAt)).text()).toBe(exported);
    // The JSON file, written the same way, nests the sub-agents as the whole tree's does.
    const json = await new Response(textStream(exportJsonText(stored, exportedAt))).text();
    expect(json).toBe(JSON.stringify(exportJson(tree, exportedAt), null, 2));
    expect(JSON.parse(json).session.subAgents[0].subAgents[0].turns[0].messages[1].parts.length).toBeGreaterThan(0);

    const seen = rowsSeen(live);
    // The whole tree: the root's prompt and answer, three tool calls (a task call in the root, the
    // sub-agents' own), the sub-agents' prompts and answers.
    expect(seen.filter((r) => r.includes('"tool-card"'))).toHaveLength(3);
    expect(seen.filter((r) => r.includes('"user-prompt"'))).toHaveLength(3);
    expect(rowsSeen(archived)).toEqual(seen);
    expect(rowsSeen(exported)).toEqual(seen);
    // The export is one offline file: the app's styles inline, nothing to load, no script.
    expect(exported).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'`);
    expect(exported).toMatch(/<style>[^<]*\.bg-slate-800\{/);
    expect(exported).not.toMatch(/<script|<link|<img|src=/i);
    for (const html of [live, archived, exported]) {
      expect(html).not.toContain("SYNTHETIC-NOTE");
      expect(html).not.toContain("IGNORED-NOTE");
    }
  });
});
