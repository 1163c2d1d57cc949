import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { textStream } from "~/server/archive/download-response";
import { exportJson, exportJsonText } from "~/server/archive/export";
import { treeSource } from "~/server/archive/export-source";
import { syncTree } from "~/server/archive/sync";
import { appendTextTurn, MemorySource, syntheticTree } from "~/server/archive/testing";
import { FAKE_SECRETS } from "~/server/model/fake-secrets";
import { describeEachDatabase } from "~/server/testing/database";
import type { PrismaClient } from "~/server/generated/prisma/client";
import type { SourceTree } from "~/server/archive/source";
import { openSharedDownload, SharedDownloads } from "./download";
import { INCLUDE_ALL, type Include } from "./links";
import { createRedactor } from "./redact";
import { PAGE_PARTS } from "~/server/archive/page";
import { SharedFindings, type TreeScan } from "./findings-cache";
import { loadSharedPage } from "./shared-page";
import { scanSharedTree, treeFindings } from "./tree-scan";

// A share link's files are written as the team's exports are, a batch of parts at a time, and
// must hold exactly what the link's page holds: the same projection and the same redaction,
// including a secret found in one batch and repeated bare in another.

const SECRET = FAKE_SECRETS.awsSecretAccessKey;
const text = (stream: ReadableStream<Uint8Array>) => new Response(stream).text();

/** One session: a turn of tool calls whose answer repeats a key bare (reasoning included), then two short turns, the last naming the key. */
function leakyTree() {
  const tree = syntheticTree(1, 4);
  const messages = tree.sessions[0]!.messages as { info: { id: string }; parts: Record<string, unknown>[] }[];
  const answer = messages.at(-1)!;
  answer.parts[0]!.text = `Decoded it: echo ${SECRET} | base64 -d`;
  answer.parts.unshift({ id: "prt_0000000000000reasoning", sessionID: tree.root, messageID: answer.info.id, type: "reasoning", text: "Thinking it over." });
  appendTextTurn(messages, tree.root, 1_900_000_000_000);
  appendTextTurn(messages, tree.root, 1_900_000_000_100);
  messages.at(-2)!.parts[0]!.text = `Here is the env: AWS_SECRET_ACCESS_KEY=${SECRET}`;
  return tree;
}

/** The tree synced into the archive on a runner of its own: its root's row id. */
async function archived(db: PrismaClient, snapshot: SourceTree): Promise<string> {
  const runnerId = (await db.runner.create({ data: { name: `runtime-${randomUUID()}`, kind: "remote", url: "", status: "stopped" } })).id;
  await syncTree(db, new MemorySource(snapshot), { runnerId, rootOpencodeId: snapshot.root });
  return (await db.session.findFirstOrThrow({ where: { runnerId, opencodeId: snapshot.root } })).id;
}

describeEachDatabase("share link downloads", (database) => {
  it("write the file the link's page tree gives, a batch at a time, redacting across batches", { timeout: 60_000 }, async () => {
    const db = database.client;
    const snapshot = leakyTree();
    const sessionId = await archived(db, snapshot);
    // Counting the batches secretlint reads.
    let batches = 0;
    const base = createRedactor({ exactValues: [] });
    const redactor = { ...base, findIn: async (texts: AsyncIterable<readonly string[]> | Iterable<readonly string[]>) => base.findIn(counted(texts)) };
    async function* counted(texts: AsyncIterable<readonly string[]> | Iterable<readonly string[]>) {
      for await (const batch of texts) yield (batches++, batch);
    }
    const deps = { db, shareFindings: new SharedFindings() };
    const exportedAt = new Date();

    for (const include of [INCLUDE_ALL, { subAgents: true, reasoning: false, toolOutputs: false }] satisfies Include[]) {
      const link = { id: randomUUID(), sessionId, include };
      // One part a batch (as a link's pages read its tree): the key is named in the last batch and repeated bare in an earlier one.
      await treeFindings(deps, link, redactor, { batch: 1 });
      batches = 0;
      const download = await openSharedDownload(deps, link, redactor);
      // The tree unchanged since, the file reads no part for secretlint: its outline only.
      expect(batches).toBe(1);
      const reads: number[] = [];
      const parts = (ids: string[]) => (reads.push(ids.length), download.parts(ids));
      const file = await text(textStream(exportJsonText(treeSource(download.tree, parts), exportedAt)));
      // A tree this short is one page, holding every part.
      const page = await loadSharedPage({ db, shareFindings: new SharedFindings() }, link, redactor, { sessionId });
      expect(page.paging.pages).toHaveLength(1);
      expect(file).toBe(JSON.stringify(exportJson(page.tree, exportedAt), null, 2));
      expect(file).toContain("echo [redacted:aws-secret-access-key] | base64 -d");
      expect(file).not.toContain(SECRET);
      expect(reads.length).toBeGreaterThan(0);
      // The outline holds no content: no tool output, no answer text.
      expect(JSON.stringify(download.tree)).not.toContain("<content>");
      expect(JSON.stringify(download.tree)).not.toContain("base64 -d");
      expect(file.includes("Thinking it over.")).toBe(include.reasoning);
      expect(file.includes("<content>")).toBe(include.toolOutputs);
    }

    // A part the link leaves out is not read, even asked for by its id.
    const reasoning = await db.part.findFirstOrThrow({ where: { sessionId, type: "reasoning" } });
    const withAll = await openSharedDownload(deps, { id: randomUUID(), sessionId, include: INCLUDE_ALL }, redactor);
    expect((await withAll.parts([reasoning.id])).map((p) => p.text)).toEqual(["Thinking it over."]);
    const without = await openSharedDownload(deps, { id: randomUUID(), sessionId, include: { ...INCLUDE_ALL, reasoning: false } }, redactor);
    expect(await without.parts([reasoning.id])).toEqual([]);
  });
});

describeEachDatabase("share link pages", (database) => {
  it("shows a long session a page at a time, redacting on every page what any page names, and finds it again when the tree changes", { timeout: 60_000 }, async () => {
    const db = database.client;
    // Two turns of 200 tool calls: the bare key in the first prompt, its name in a prompt at the end.
    const snapshot = syntheticTree(2, 200);
    const messages = snapshot.sessions[0]!.messages as { info: { id: string }; parts: Record<string, unknown>[] }[];
    messages[0]!.parts[0]!.text = `Decode it: echo ${SECRET} | base64 -d`;
    appendTextTurn(messages, snapshot.root, 1_900_000_000_000);
    messages.at(-2)!.parts[0]!.text = `Here is the env: AWS_SECRET_ACCESS_KEY=${SECRET}`;
    const sessionId = await archived(db, snapshot);
    const link = { id: randomUUID(), sessionId, include: INCLUDE_ALL };
    const deps = { db, shareFindings: new SharedFindings() };
    // Counting secretlint's reads: the tree's (one per version) and each page's own.
    let reads = 0;
    const base = createRedactor({ exactValues: [] });
    const redactor = { ...base, findIn: (batches: Parameters<typeof base.findIn>[0]) => (reads++, base.findIn(batches)) };
    // A new link's tree is read ahead of its first reader (share.create does this).
    await treeFindings(deps, link, redactor);
    expect(reads).toBe(1);
    const view = (page: number) => loadSharedPage(deps, link, redactor, { sessionId, at: { page } });
    // A page that starts inside a turn repeats its prompt: the agent's parts are each on one page.
    const partsOf = (tree: Awaited<ReturnType<typeof view>>["tree"]) =>
      tree.root.turns.flatMap((t) => t.messages.filter((m) => m.role === "assistant").flatMap((m) => m.parts.map((p) => p.id)));

    const first = await view(1);
    const pages = first.paging.pages.length;
    expect(pages).toBeGreaterThanOrEqual(3);
    expect(first.stats.toolCalls).toBe(400);
    const second = await view(2);
    const last = await view(pages);
    // Three pages, and the tree was not read again for them.
    expect(reads).toBe(4);
    for (const page of [first, second, last]) expect(partsOf(page.tree).length).toBeLessThanOrEqual(PAGE_PARTS);
    expect(partsOf(second.tree).filter((id) => partsOf(first.tree).includes(id))).toEqual([]);
    // Page 1 never held the key's name, yet its bare value is redacted there.
    expect(JSON.stringify(first)).toContain("echo [redacted:aws-secret-access-key] | base64 -d");
    expect(JSON.stringify(last)).toContain("AWS_SECRET_ACCESS_KEY=[redacted");
    for (const page of [first, second, last]) expect(JSON.stringify(page)).not.toContain(SECRET);

    // A key named by a later turn is redacted on the first page as soon as it is stored.
    const other = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzOTHERKEY";
    const firstPart = await db.part.findFirstOrThrow({ where: { sessionId, text: { contains: "Decode it" } } });
    await db.part.update({ where: { id: firstPart.id }, data: { text: `Decode it: echo ${SECRET} ${other} | base64 -d` } });
    expect(JSON.stringify(await view(1))).toContain(`${other}`);
    expect(reads).toBe(6);
    const lastPrompt = await db.part.findFirstOrThrow({ where: { sessionId, text: { contains: "AWS_SECRET_ACCESS_KEY" } } });
    await db.part.update({ where: { id: lastPrompt.id }, data: { text: `AWS_SECRET_ACCESS_KEY=${SECRET}\naws_secret_access_key = ${other}` } });
    const again = JSON.stringify(await view(1));
    expect(again).not.toContain(other);
    expect(again).not.toContain(SECRET);
  });
});

describeEachDatabase("share link scans", (database) => {
  it("read again only the parts written since the last scan, however late their write committed, and a running turn's once it ends", { timeout: 60_000 }, async () => {
    const db = database.client;
    const snapshot = syntheticTree(2, 100);
    const messages = snapshot.sessions[0]!.messages as { info: { id: string }; parts: Record<string, unknown>[] }[];
    messages[0]!.parts[0]!.text = `Here is the env: AWS_SECRET_ACCESS_KEY=${SECRET}`;
    const sessionId = await archived(db, snapshot);
    const link = { sessionId, include: INCLUDE_ALL };
    const redactor = createRedactor({ exactValues: [] });
    const scan = (since?: TreeScan) => scanSharedTree(db, link, redactor, { since });
    const parts = await db.part.count({ where: { sessionId } });

    const whole = await scan();
    expect(whole.read).toBe(parts);
    expect(whole.findings.has(SECRET)).toBe(true);
    expect((await scan(whole)).read).toBe(0);

    // A key named in one part: that part is read, and what was found before is kept.
    const other = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzOTHERKEY";
    const tool = await db.part.findFirstOrThrow({ where: { sessionId, type: "tool" }, orderBy: { opencodeId: "asc" } });
    await db.part.update({ where: { id: tool.id }, data: { text: `aws_secret_access_key = ${other}` } });
    const changed = await scan(whole);
    expect(changed.read).toBe(1);
    expect([changed.findings.has(SECRET), changed.findings.has(other)]).toEqual([true, true]);
    expect(changed.wholeAt).toBe(whole.wholeAt);

    // Written with a time before the last scan (a long transaction that committed after it): read too.
    const late = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzLATEWRIT";
    const answer = await db.part.findFirstOrThrow({ where: { sessionId, type: "tool", id: { not: tool.id } }, orderBy: { opencodeId: "desc" } });
    await db.part.update({ where: { id: answer.id }, data: { text: `aws_secret_access_key = ${late}`, updatedAt: new Date(whole.wholeAt - 60_000) } });
    const lateScan = await scan(changed);
    expect(lateScan.read).toBe(1);
    expect(lateScan.findings.has(late)).toBe(true);

    // A running turn's parts are shown held back: read again each time, and once it ended without another write.
    const turn = await db.turn.findFirstOrThrow({ where: { sessionId }, orderBy: { index: "desc" } });
    const turnParts = await db.part.count({ where: { turnId: turn.id } });
    await db.turn.update({ where: { id: turn.id }, data: { status: "running" } });
    const running = await scan(lateScan);
    expect(running.read).toBe(turnParts);
    await db.turn.update({ where: { id: turn.id }, data: { status: "completed" } });
    const ended = await scan(running);
    expect(ended.read).toBe(turnParts);
    expect((await scan(ended)).read).toBe(0);
  });
});

describe("SharedDownloads", () => {
  const opened = { tree: {} as never, parts: async (ids: string[]) => ids.map((id) => ({ id }) as never) };

  it("serves an opened download to its own link only, for ten minutes", async () => {
    let now = 0;
    const downloads = new SharedDownloads(() => now);
    const id = downloads.keep("link-a", opened);
    expect(await downloads.parts("link-a", id, ["p1"])).toEqual([{ id: "p1" }]);
    expect(downloads.parts("link-b", id, ["p1"])).toBeUndefined();
    expect(downloads.parts("link-a", randomUUID(), ["p1"])).toBeUndefined();
    now += 10 * 60_000;
    expect(downloads.parts("link-a", id, ["p1"])).toBeUndefined();
  });

  it("keeps the newest 64 open", () => {
    const downloads = new SharedDownloads(() => 0);
    const ids = Array.from({ length: 65 }, () => downloads.keep("link", opened));
    expect(downloads.parts("link", ids[0]!, [])).toBeUndefined();
    expect(downloads.parts("link", ids[1]!, [])).toBeDefined();
    expect(downloads.parts("link", ids[64]!, [])).toBeDefined();
  });
});
