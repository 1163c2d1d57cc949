import { randomUUID } from "node:crypto";
import { expect, it } from "vitest";
import { describeEachDatabase } from "~/server/testing/database";
import { conversationRows } from "~/components/session/rows";
import { archivedToolOutput, loadArchivedPage, PAGE_PARTS } from "./page";
import { createElement, Fragment } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { TreeConversation } from "~/components/archive/tree-conversation";
import { ArchivePager } from "~/components/archive/archive-pager";
import { loadArchivedTree } from "./read";
import { archivedSessionView } from "./session-view";
import { treeStats } from "./stats";
import { syncTree } from "./sync";
import { MemorySource, syntheticTree } from "./testing";

// A long archived session is read a page at a time: each page holds at most PAGE_PARTS of the
// session's parts (plus the prompt of a turn it starts inside), `?turn=` finds the page of a
// turn, the pages together hold every row of the whole session, and the banner's totals are
// the whole tree's.

const pageConversation = (read: Awaited<ReturnType<typeof loadArchivedPage>>) =>
  createElement(TreeConversation, { tree: read.tree, session: read.tree.root, options: { links: true, shown: { turns: read.turns, subAgents: read.inlined } } });

describeEachDatabase("archived view, a page at a time", (database) => {
  it("pages of a 1,500-part session: bounded, complete together, found by turn, whole-tree totals", async () => {
    const db = database.client;
    const runnerId = (await db.runner.create({ data: { name: `runtime-${randomUUID()}`, kind: "remote", url: "", status: "stopped" } })).id;
    const snapshot = syntheticTree(3, 500);
    await syncTree(db, new MemorySource(snapshot), { runnerId, rootOpencodeId: snapshot.root });
    const rootId = (await db.session.findFirstOrThrow({ where: { runnerId, opencodeId: snapshot.root } })).id;
    const whole = await loadArchivedTree(db, rootId);
    const partsOf = (tree: typeof whole) => tree.root.turns.flatMap((t) => t.messages.flatMap((m) => m.parts));
    const rowsOf = (tree: typeof whole, turns: string[]) => conversationRows(archivedSessionView(tree.root, tree.root.turns.filter((t) => turns.includes(t.id)))).map((r) => r.key);

    const first = await loadArchivedPage(db, rootId);
    const total = partsOf(whole).length;
    expect(first.pages).toHaveLength(Math.ceil(total / PAGE_PARTS));
    expect(first.stats).toEqual(treeStats(whole));
    const seen = new Set<string>();
    for (let page = 1; page <= first.pages.length; page++) {
      const read = await loadArchivedPage(db, rootId, { page });
      expect(read.page).toBe(page);
      // At most a page of parts, plus the prompt of the turn it starts inside.
      expect(partsOf(read.tree).length).toBeLessThanOrEqual(PAGE_PARTS + 1);
      for (const key of rowsOf(read.tree, read.turns)) seen.add(key);
      // As the page renders it: each turn once (its section, or a link to its page), and only
      // the prompts of the turns this page holds (the last page once repeated every turn's).
      const paging = { page: read.page, pages: read.pages, turnPages: read.turnPages };
      const html = renderToStaticMarkup(
        createElement(Fragment, null, createElement(ArchivePager, { paging, query: {}, anchors: true }), pageConversation(read)),
      );
      const ids = [...html.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]);
      expect(ids.sort()).toEqual(["turn-1", "turn-2", "turn-3"]);
      const { firstTurn, lastTurn } = read.pages[page - 1]!;
      expect(html.match(/data-testid="user-prompt"/g)).toHaveLength(lastTurn - firstTurn + 1);
    }
    expect([...seen].sort()).toEqual(rowsOf(whole, whole.root.turns.map((t) => t.id)).sort());

    // Turn 3 starts on the page that holds its prompt; a page past the end is the last one.
    const third = await loadArchivedPage(db, rootId, { turn: 3 });
    const prompt = whole.root.turns[2]!.messages.find((m) => m.role === "user")!.parts[0]!.id;
    expect(partsOf(third.tree).map((p) => p.id)).toContain(prompt);
    expect(third.page).toBe(first.turnPages[3]);
    expect((await loadArchivedPage(db, rootId, { page: 999 })).page).toBe(first.pages.length);

    // A long tool output shows its head on the page, and its link gives the whole of it.
    const long = partsOf(first.tree).find((p) => (p.tool?.output?.length ?? 0) > 60_000)!;
    const html = renderToStaticMarkup(pageConversation(first));
    expect(html).toContain(`/api/archive/${rootId}/tool-output?part=${long.id}`);
    expect(html).not.toContain(long.tool!.output!.slice(0, 3_000));
    expect(await archivedToolOutput(db, rootId, long.id)).toBe(long.tool!.output);
    await expect(archivedToolOutput(db, rootId, randomUUID())).rejects.toMatchObject({ kind: "unknown" });
  });
});
