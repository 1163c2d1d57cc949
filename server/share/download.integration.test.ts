import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { textStream } from "~/server/archive/download-response";
import { exportJson, exportJsonText } from "~/server/archive/export";
import { syncTree } from "~/server/archive/sync";
import { appendTextTurn, MemorySource, syntheticTree } from "~/server/archive/testing";
import { FAKE_SECRETS } from "~/server/model/fake-secrets";
import { describeEachDatabase } from "~/server/testing/database";
import { openSharedDownload, SharedDownloads } from "./download";
import { INCLUDE_ALL, type Include } from "./links";
import { createRedactor } from "./redact";
import { loadSharedTree } from "./shared-tree";

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

describeEachDatabase("share link downloads", (database) => {
  it("write the file the link's page tree gives, a batch at a time, redacting across batches", { timeout: 60_000 }, async () => {
    const db = database.client;
    const runnerId = (await db.runner.create({ data: { name: `runtime-${randomUUID()}`, kind: "remote", url: "", status: "stopped" } })).id;
    const snapshot = leakyTree();
    await syncTree(db, new MemorySource(snapshot), { runnerId, rootOpencodeId: snapshot.root });
    const sessionId = (await db.session.findFirstOrThrow({ where: { runnerId, opencodeId: snapshot.root } })).id;
    const redactor = createRedactor({ exactValues: [] });
    const exportedAt = new Date();

    for (const include of [INCLUDE_ALL, { subAgents: true, reasoning: false, toolOutputs: false }] satisfies Include[]) {
      const link = { sessionId, include };
      // One part a batch: the key is named in the last batch and repeated bare in an earlier one.
      const download = await openSharedDownload(db, link, redactor, { batch: 1 });
      const reads: number[] = [];
      const parts = (ids: string[]) => (reads.push(ids.length), download.parts(ids));
      const file = await text(textStream(exportJsonText(download.tree, parts, exportedAt)));
      const page = await loadSharedTree(db, link, redactor);
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
    const withAll = await openSharedDownload(db, { sessionId, include: INCLUDE_ALL }, redactor);
    expect((await withAll.parts([reasoning.id])).map((p) => p.text)).toEqual(["Thinking it over."]);
    const without = await openSharedDownload(db, { sessionId, include: { ...INCLUDE_ALL, reasoning: false } }, redactor);
    expect(await without.parts([reasoning.id])).toEqual([]);
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
