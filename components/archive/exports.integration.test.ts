import { randomUUID } from "node:crypto";
import { expect, it } from "vitest";
import { describeEachDatabase } from "~/server/testing/database";
import { loadArchivedTree } from "~/server/archive/read";
import { readWholeParts } from "~/server/archive/stand-ins";
import { exportJson, exportJsonText } from "~/server/archive/export";
import { textStream } from "~/server/archive/download-response";
import { syncTree } from "~/server/archive/sync";
import { MemorySource, syntheticTree } from "~/server/archive/testing";
import { exportHtmlFile } from "./export-file";

// The exports of a long tree (HTML and JSON) never hold it whole: they start from the tree's
// stand-ins (no text, tool output or raw data) and read the parts each piece shows as the file
// is written. Each file is the one a whole tree gives, byte for byte.

const text = (stream: ReadableStream<Uint8Array>) => new Response(stream).text();

describeEachDatabase("exports of a long tree", (database) => {
  it("read their parts a piece at a time and write the files the whole tree gives", { timeout: 120_000 }, async () => {
    const db = database.client;
    const runnerId = (await db.runner.create({ data: { name: `runtime-${randomUUID()}`, kind: "remote", url: "", status: "stopped" } })).id;
    const long = syntheticTree(3, 500);
    const other = syntheticTree(1, 2, "ses_0000000000002SyntheticRoot");
    for (const snapshot of [long, other]) await syncTree(db, new MemorySource(snapshot), { runnerId, rootOpencodeId: snapshot.root });
    const rootId = (await db.session.findFirstOrThrow({ where: { runnerId, opencodeId: long.root } })).id;
    const whole = await loadArchivedTree(db, rootId);
    const standIns = await loadArchivedTree(db, rootId, { parts: "stand-ins" });

    // The stand-ins carry no content: not the 70 KB tool outputs, not the files read, no raw data
    // but a step's usage; a text says only whether it is blank.
    const outline = JSON.stringify(standIns);
    expect(outline).not.toContain("x".repeat(1024));
    expect(outline).not.toContain("<content>");
    for (const part of standIns.root.turns.flatMap((t) => t.messages.flatMap((m) => m.parts))) {
      expect([null, "", "…"]).toContain(part.text);
      if (part.type !== "step-finish") expect(part.data).toEqual({});
      if (part.tool) expect([part.tool.input, part.tool.output, part.tool.error]).toEqual([null, null, null]);
    }

    const reads: number[] = [];
    const exportedAt = new Date();
    const parts = (ids: string[]) => (reads.push(ids.length), readWholeParts(db, rootId, ids));
    const exported = await text(exportHtmlFile(standIns, { exportedAt, parts }));
    expect(exported).toBe(await text(exportHtmlFile(whole, { exportedAt })));
    // The content read piece by piece is in the file (tool output, text of parts).
    expect(exported).toContain("x".repeat(1024));
    expect(exported).toContain("&lt;content&gt;");
    // A few pieces at a time (200 rows each, up to 500 parts), never the whole session.
    const total = whole.root.turns.flatMap((t) => t.messages.flatMap((m) => m.parts)).length;
    expect(reads.length).toBeGreaterThanOrEqual(Math.floor(total / 500));
    expect(Math.max(...reads)).toBeLessThanOrEqual(500);

    // The JSON file too: the text of the whole tree's, read a batch of parts at a time.
    const jsonReads: number[] = [];
    const json = await text(textStream(exportJsonText(standIns, (ids) => (jsonReads.push(ids.length), readWholeParts(db, rootId, ids)), exportedAt)));
    expect(json).toBe(JSON.stringify(exportJson(whole, exportedAt), null, 2));
    expect(jsonReads.length).toBeGreaterThanOrEqual(Math.floor(total / 500));
    expect(Math.max(...jsonReads)).toBeLessThanOrEqual(500);

    // Parts of another tree are not read through this one.
    const otherRoot = await loadArchivedTree(db, (await db.session.findFirstOrThrow({ where: { runnerId, opencodeId: other.root } })).id);
    const otherIds = otherRoot.root.turns.flatMap((t) => t.messages.flatMap((m) => m.parts.map((p) => p.id)));
    expect(otherIds.length).toBeGreaterThan(0);
    expect(await readWholeParts(db, rootId, otherIds)).toEqual([]);
  });
});
