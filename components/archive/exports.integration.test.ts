import { randomUUID } from "node:crypto";
import { expect, it } from "vitest";
import { describeEachDatabase } from "~/server/testing/database";
import { loadArchivedTree } from "~/server/archive/read";
import { loadExportOutline, readExportTurns, treeSource } from "~/server/archive/export-source";
import { treeStats } from "~/server/archive/stats";
import { exportJson, exportJsonText } from "~/server/archive/export";
import { textStream } from "~/server/archive/download-response";
import { syncTree } from "~/server/archive/sync";
import { MemorySource, syntheticTree } from "~/server/archive/testing";
import { exportHtmlFile } from "./export-file";

// The exports of a long tree (HTML and JSON) never hold it whole: they start from the tree's
// outline (sessions and turns, no messages) and read its turns a window at a time as the file
// is written. Each file is the one the whole tree gives, byte for byte.

const text = (stream: ReadableStream<Uint8Array>) => new Response(stream).text();

describeEachDatabase("exports of a long tree", (database) => {
  it("read their turns a window at a time and write the files the whole tree gives", { timeout: 120_000 }, async () => {
    const db = database.client;
    const runnerId = (await db.runner.create({ data: { name: `runtime-${randomUUID()}`, kind: "remote", url: "", status: "stopped" } })).id;
    // 12 turns of 154 parts: windows of 3 turns (462 parts).
    const long = syntheticTree(12, 150);
    const other = syntheticTree(1, 2, "ses_0000000000002SyntheticRoot");
    for (const snapshot of [long, other]) await syncTree(db, new MemorySource(snapshot), { runnerId, rootOpencodeId: snapshot.root });
    const rootId = (await db.session.findFirstOrThrow({ where: { runnerId, opencodeId: long.root } })).id;
    const whole = await loadArchivedTree(db, rootId);
    const outline = await loadExportOutline(db, rootId);

    // The outline carries no message, part or content; its totals are the whole tree's.
    expect(outline.tree.root.turns).toHaveLength(12);
    expect(outline.tree.root.turns.every((t) => t.messages.length === 0)).toBe(true);
    expect(JSON.stringify(outline)).not.toContain("<content>");
    expect(outline.stats).toEqual(treeStats(whole));
    expect(Object.values(outline.turnParts)).toEqual(Array(12).fill(154));

    const reads: string[][] = [];
    const source = { ...outline, turns: (ids: string[], bare?: string[]) => (reads.push(ids), readExportTurns(db, rootId, ids, bare)) };
    const exportedAt = new Date();
    const exported = await text(exportHtmlFile(source, exportedAt));
    expect(exported).toBe(await text(exportHtmlFile(treeSource(whole), exportedAt)));
    // The content read window by window is in the file (tool output, text of parts).
    expect(exported).toContain("x".repeat(1024));
    expect(exported).toContain("&lt;content&gt;");
    // Four windows of three turns, each read with the turn before it (for how that one ended).
    expect(reads.map((ids) => ids.length)).toEqual([3, 4, 4, 4]);

    // The JSON file too: the text of the whole tree's, a window of turns at a time.
    reads.length = 0;
    const json = await text(textStream(exportJsonText(source, exportedAt)));
    expect(json).toBe(JSON.stringify(exportJson(whole, exportedAt), null, 2));
    expect(reads.map((ids) => ids.length)).toEqual([3, 3, 3, 3]);

    // Turns of another tree are not read through this one.
    const otherRoot = await loadArchivedTree(db, (await db.session.findFirstOrThrow({ where: { runnerId, opencodeId: other.root } })).id);
    expect(await readExportTurns(db, rootId, otherRoot.root.turns.map((t) => t.id))).toEqual([]);
  });
});
