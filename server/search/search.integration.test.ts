import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import type { PrismaClient } from "~/server/generated/prisma/client";
import { describeEachDatabase } from "~/server/testing/database";
import pino from "pino";
import { INDEX_BATCH, indexPendingParts, SearchIndexer } from "./indexer";
import { SearchQueryError } from "./query-text";
import { searchTrees, type SearchPage } from "./search";

// A small archive written as the store writes it (rows with opencode's raw part in `data`),
// searched twice: as written (every part's vector pending: the query computes it) and once the
// indexer stored the vectors.
async function seedArchive(db: PrismaClient) {
  const runner = await db.runner.create({ data: { name: `search-${randomUUID()}`, kind: "remote", url: "" } });
  const other = await db.runner.create({ data: { name: `search-other-${randomUUID()}`, kind: "remote", url: "" } });
  const alice = await db.user.create({ data: { email: `alice-${randomUUID()}@example.com`, name: "Alice" } });
  const bob = await db.user.create({ data: { email: `bob-${randomUUID()}@example.com`, name: "Bob" } });

  const session = async (data: { title: string; runnerId?: string; rootId?: string; startedById?: string; cost?: number; model?: string; agent?: string; activity?: string }) => {
    const row = await db.session.create({
      data: {
        opencodeId: `ses_${randomUUID()}`, runnerId: data.runnerId ?? runner.id, directory: "/w", title: data.title,
        startedById: data.startedById, cost: data.cost ?? 0, providerId: "demo", modelId: data.model ?? "scripted", agent: data.agent ?? "build",
        createdAt: new Date(data.activity ?? "2026-11-20T10:00:00Z"), lastActivityAt: new Date(data.activity ?? "2026-11-20T10:00:00Z"),
      },
    });
    await db.session.update({ where: { id: row.id }, data: { rootId: data.rootId ?? row.id } });
    if (data.rootId) await db.sessionRelation.create({ data: { parentId: data.rootId, childId: row.id, kind: "subagent" } });
    return row.id;
  };
  const turn = async (sessionId: string, index: number, parts: Array<{ role: "user" | "assistant"; type: string; text?: string; data?: object }>, error?: string) => {
    const t = await db.turn.create({
      data: { sessionId, index, userMessageId: `msg_${randomUUID()}`, status: error ? "error" : "completed", error },
    });
    for (const [i, p] of parts.entries()) {
      const message = await db.message.create({
        data: { sessionId, turnId: t.id, opencodeId: `msg_${randomUUID()}`, role: p.role, data: {}, createdAt: new Date() },
      });
      await db.part.create({
        data: { sessionId, messageId: message.id, turnId: t.id, opencodeId: `prt_${i}_${randomUUID()}`, type: p.type, text: p.text, data: p.data ?? { type: p.type, text: p.text } },
      });
    }
    return t.id;
  };

  const parser = await session({ title: "Refactor the tokenizer", startedById: alice.id, cost: 1.5, activity: "2026-11-20T10:00:00Z" });
  await turn(parser, 1, [
    { role: "user", type: "text", text: "Please make the lexer zanzibar-proof and keep the tests green" },
    { role: "assistant", type: "reasoning", text: "I should look at quokka handling first" },
    { role: "assistant", type: "text", text: "Done: the lexer now handles every case." },
  ]);
  await turn(parser, 2, [
    { role: "user", type: "text", text: "Run the checks" },
    { role: "assistant", type: "tool", data: { type: "tool", tool: "bash", state: { status: "completed", title: "npm test", input: { command: "npm test -- src/lexer/marmoset.test.ts" }, output: "42 passed, narwhal suite green" } } },
  ]);
  const child = await session({ title: "Explore the grammar", rootId: parser, model: "other-model", agent: "general" });
  await turn(child, 1, [
    { role: "user", type: "text", text: "Find where tokens are read" },
    { role: "assistant", type: "text", text: "The axolotl module reads them, in three places." },
    { role: "assistant", type: "text", text: 'Each shows as <Chip kind="word">ocelot</Chip> in a <div>.' },
    { role: "assistant", type: "text", text: 'Load it with <script src="app.js"></script> then quetzal, styled by <style>body{}</style> tapir.' },
  ]);

  const failing = await session({ title: "Upgrade the build", startedById: bob.id, runnerId: other.id, cost: 0.2, activity: "2026-11-25T10:00:00Z" });
  await turn(failing, 1, [{ role: "user", type: "text", text: "Upgrade the lexer dependencies" }], "Provider said: quota exhausted for wombat-large");

  const purged = await session({ title: "Purged lexer work", activity: "2026-11-22T10:00:00Z" });
  await turn(purged, 1, [{ role: "user", type: "text", text: "lexer zanzibar notes" }]);
  await db.session.update({ where: { id: purged }, data: { purgedAt: new Date() } });

  return { runner: runner.id, other: other.id, alice: alice.id, bob: bob.id, parser, child, failing, purged };
}

describeEachDatabase("full-text search", (database) => {
  let seeded: Awaited<ReturnType<typeof seedArchive>>;
  beforeAll(async () => {
    seeded = await seedArchive(database.client);
  });
  const search = (q: string, filters?: Parameters<typeof searchTrees>[1]["filters"], more?: { limit?: number; cursor?: string }) =>
    searchTrees(database.client, { q, filters: { runnerId: undefined, ...filters }, ...more });
  const only = (page: SearchPage) => {
    expect(page.trees).toHaveLength(1);
    return page.trees[0]!;
  };
  const pending = async (db: PrismaClient, id: string) =>
    (await db.$queryRaw<{ pending: boolean }[]>`SELECT search IS NULL AS pending FROM "Part" WHERE id = ${id}`)[0]!.pending;
  const marked = (page: SearchPage) => page.trees.flatMap((t) => t.matches.flatMap((m) => m.snippet.filter((s) => s.match).map((s) => s.text.toLowerCase())));

  // The same searches before and after the indexer runs.
  for (const phase of ["as written, before the indexer", "once the indexer stored every vector"] as const) {
    const indexed = phase.startsWith("once");
    const indexAfter = async () => {
      if (indexed) await indexPendingParts(database.client);
    };
    describe(phase, () => {
      beforeAll(async () => {
        await indexAfter();
        const left = await database.client.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM "Part" WHERE search IS NULL`;
        expect(left[0]!.n > 0).toBe(!indexed);
      });

      it("finds a prompt, reasoning, an answer, a tool's input and output, a sub-agent's answer, a title and an error, each where it is", async () => {
        const prompt = only(await search("zanzibar"));
        expect(prompt.rootId).toBe(seeded.parser);
        expect(prompt.matches[0]).toMatchObject({ sessionId: seeded.parser, turnIndex: 1, kind: "prompt" });
        expect(marked(await search("zanzibar"))).toEqual(["zanzibar"]);

        expect(only(await search("quokka")).matches[0]).toMatchObject({ kind: "reasoning", turnIndex: 1 });
        expect(only(await search("narwhal")).matches[0]).toMatchObject({ kind: "tool", tool: "bash", turnIndex: 2, sessionId: seeded.parser });
        // A file's name, with or without its folder or extension.
        expect(only(await search("marmoset.test.ts")).matches[0]).toMatchObject({ kind: "tool", turnIndex: 2 });
        expect(only(await search("marmoset")).matches[0]).toMatchObject({ kind: "tool", turnIndex: 2 });
        // Marked inside the path it was found in, the path shown as it is.
        const inPath = only(await search("marmoset")).matches[0]!.snippet;
        expect(inPath.filter((s) => s.match).map((s) => s.text)).toEqual(["marmoset"]);
        expect(inPath.map((s) => s.text).join("")).toContain("src/lexer/marmoset.test.ts");
        expect(only(await search("lexer/marmoset")).matches[0]).toMatchObject({ kind: "tool", turnIndex: 2 });

        // Markup in what matched is shown as it was written (ts_headline drops what it reads as tags).
        const markup = only(await search("ocelot")).matches[0]!.snippet;
        expect(markup.map((s) => s.text).join("")).toContain('Each shows as <Chip kind="word">ocelot</Chip');
        expect(markup.filter((s) => s.match).map((s) => s.text)).toEqual(["ocelot"]);

        // Words after a tag are found too (PostgreSQL's parser skipped what followed <script>).
        expect(only(await search("quetzal")).matches[0]).toMatchObject({ kind: "answer" });
        expect(only(await search("tapir")).matches[0]).toMatchObject({ kind: "answer" });

        const sub = only(await search("axolotl"));
        expect(sub.rootId).toBe(seeded.parser);
        expect(sub.matches[0]).toMatchObject({ sessionId: seeded.child, sessionTitle: "Explore the grammar", turnIndex: 1, kind: "answer" });

        expect(only(await search("tokenizer")).matches[0]).toMatchObject({ kind: "title", turnIndex: null });
        // A tree shows the best match of each of its sessions, the sub-agent's too.
        expect(only(await search("tokens")).matches.map((m) => [m.sessionId, m.kind])).toEqual(
          expect.arrayContaining([[seeded.parser, "title"], [seeded.child, "prompt"]]),
        );
        expect(only(await search("wombat")).matches[0]).toMatchObject({ kind: "error", sessionId: seeded.failing, turnIndex: 1 });
      });

      it("stems words, reads phrases, prefixes and exclusions, and ranks", async () => {
        // "handles" and "handling" meet on their stem.
        expect(only(await search("handled")).matches.map((m) => m.kind).sort()).toEqual(["answer", "reasoning"]);
        expect(only(await search(`"make the lexer"`)).rootId).toBe(seeded.parser);
        expect((await search(`"lexer make"`)).trees).toEqual([]);
        expect(only(await search("axolo*")).rootId).toBe(seeded.parser);
        const lexer = await search("lexer");
        expect(lexer.trees.map((t) => t.rootId).sort()).toEqual([seeded.parser, seeded.failing].sort());
        expect(only(await search("lexer -zanzibar -narwhal -handles")).rootId).toBe(seeded.failing);
        // More and closer matches rank first: the parser tree has the word in three parts.
        expect(lexer.trees[0]!.rootId).toBe(seeded.parser);
        expect(lexer.trees[0]!.hits).toBeGreaterThan(lexer.trees[1]!.hits);
      });

      it("never finds a purged tree", async () => {
        const page = await search("zanzibar");
        expect(page.trees.map((t) => t.rootId)).not.toContain(seeded.purged);
      });

      it("filters narrow the trees as declared", async () => {
        const trees = async (filters: Parameters<typeof search>[1]) => (await search("lexer", filters)).trees.map((t) => t.rootId);
        expect(await trees({ runnerId: seeded.other })).toEqual([seeded.failing]);
        expect(await trees({ startedById: seeded.alice })).toEqual([seeded.parser]);
        expect(await trees({ from: "2026-11-24" })).toEqual([seeded.failing]);
        expect(await trees({ to: "2026-11-20" })).toEqual([seeded.parser]);
        expect(await trees({ minCost: 1 })).toEqual([seeded.parser]);
        expect(await trees({ maxCost: 1 })).toEqual([seeded.failing]);
        expect(await trees({ hasErrors: true })).toEqual([seeded.failing]);
        expect(await trees({ hasErrors: false })).toEqual([seeded.parser]);
        expect(await trees({ hasSubAgents: true })).toEqual([seeded.parser]);
        expect(await trees({ hasSubAgents: false })).toEqual([seeded.failing]);
        expect(await trees({ status: "error" })).toEqual([]);
        expect((await trees({ status: "idle" })).sort()).toEqual([seeded.parser, seeded.failing].sort());
        // Model and agent narrow to matches in sessions that used them (here the sub-agent).
        const inChild = await search("read", { model: "demo/other-model" });
        expect(inChild.trees[0]!.matches.every((m) => m.sessionId === seeded.child)).toBe(true);
        expect((await search("axolotl", { agent: "build" })).trees).toEqual([]);
        expect(only(await search("axolotl", { agent: "general" })).rootId).toBe(seeded.parser);
      });

      it("pages through trees with a cursor, each once", async () => {
        const first = await search("lexer", undefined, { limit: 1 });
        expect(first.trees).toHaveLength(1);
        expect(first.nextCursor).not.toBeNull();
        const second = await search("lexer", undefined, { limit: 1, cursor: first.nextCursor! });
        expect(second.trees).toHaveLength(1);
        expect(second.nextCursor).toBeNull();
        expect(new Set([first.trees[0]!.rootId, second.trees[0]!.rootId]).size).toBe(2);
      });

      it("finds a part written again by its new words only", async () => {
        const db = database.client;
        const part = await db.part.findFirstOrThrow({ where: { sessionId: seeded.child, text: { contains: "axolotl" } } });
        await db.part.update({ where: { id: part.id }, data: { text: "The capybara module reads them now." } });
        // The write made its stored vector pending again: the old words are gone at once.
        expect(await pending(db, part.id)).toBe(true);
        const check = async () => {
          expect((await search("axolotl")).trees).toEqual([]);
          expect(only(await search("capybara")).matches[0]).toMatchObject({ sessionId: seeded.child, kind: "answer" });
        };
        await check();
        await indexPendingParts(db);
        expect(await pending(db, part.id)).toBe(false);
        await check();
        await db.part.update({ where: { id: part.id }, data: { text: part.text } });
        await indexAfter();
      });

    });
  }

  it("filters without words list the trees they keep, latest activity first, with no matches", async () => {
    const ids = async (filters: Parameters<typeof search>[1], more?: { limit?: number; cursor?: string }) => {
      const page = await search("", filters, more);
      expect(page.trees.every((t) => t.matches.length === 0 && t.hits === 0)).toBe(true);
      return page;
    };
    const roots = (page: SearchPage) => page.trees.map((t) => t.rootId);
    // Neither the sub-agent (not a root) nor the purged tree of that runner.
    expect(roots(await ids({ runnerId: seeded.runner }))).toEqual([seeded.parser]);
    expect(only(await ids({ runnerId: seeded.other }))).toMatchObject({ rootId: seeded.failing, title: "Upgrade the build", startedBy: "Bob" });
    expect(roots(await ids({ status: "idle" }))).toEqual([seeded.failing, seeded.parser]);
    expect(roots(await ids({ hasErrors: true }))).toEqual([seeded.failing]);
    // A session-level filter keeps the tree one of its sessions matches (here the sub-agent).
    expect(roots(await ids({ model: "demo/other-model" }))).toEqual([seeded.parser]);
    expect(roots(await ids({ agent: "general", runnerId: seeded.other }))).toEqual([]);
    const first = await ids({ status: "idle" }, { limit: 1 });
    const second = await ids({ status: "idle" }, { limit: 1, cursor: first.nextCursor! });
    expect([...roots(first), ...roots(second)]).toEqual([seeded.failing, seeded.parser]);
    expect(second.nextCursor).toBeNull();
  });

  it("the indexer stores every pending vector, a batch at a time, as the query computes it", async () => {
    const db = database.client;
    const [part] = await db.part.findMany({ where: { sessionId: seeded.failing }, take: 1 });
    const many = INDEX_BATCH * 2 + 7;
    await db.part.createMany({
      data: Array.from({ length: many }, (_, i) => ({
        sessionId: part!.sessionId, messageId: part!.messageId, turnId: part!.turnId, opencodeId: `prt_filler_${i}`, type: "text", text: `filler ${i}`, data: {},
      })),
    });
    expect(await indexPendingParts(db)).toBeGreaterThanOrEqual(many);
    const [left] = await db.$queryRaw<{ pending: number; differ: number }[]>`
      SELECT count(*) FILTER (WHERE search IS NULL)::int AS pending,
        count(*) FILTER (WHERE search IS DISTINCT FROM flightdeck_part_search(text, data))::int AS differ FROM "Part"`;
    expect(left).toEqual({ pending: 0, differ: 0 });
    expect(await indexPendingParts(db)).toBe(0);
    await db.part.deleteMany({ where: { opencodeId: { startsWith: "prt_filler_" } } });
  });

  it("the app's indexer stores a new part's vector within its interval", async () => {
    const db = database.client;
    const indexer = new SearchIndexer(db, pino({ level: "silent" }), 50);
    indexer.start();
    try {
      const [part] = await db.part.findMany({ where: { sessionId: seeded.failing }, take: 1 });
      const written = await db.part.create({
        data: { sessionId: part!.sessionId, messageId: part!.messageId, turnId: part!.turnId, opencodeId: `prt_${randomUUID()}`, type: "text", text: "pangolin", data: {} },
      });
      await expect.poll(() => pending(db, written.id), { timeout: 5_000 }).toBe(false);
      expect(only(await search("pangolin")).rootId).toBe(seeded.failing);
      await db.part.delete({ where: { id: written.id } });
    } finally {
      await indexer.stop();
    }
  });

  it("says what is wrong with a query that cannot find anything", async () => {
    await expect(search("-only -excluded")).rejects.toThrow(SearchQueryError);
    await expect(search("   ")).rejects.toThrow(/Type something to search for, or choose a filter/);
    // Markup and tsquery syntax are plain words.
    expect((await search(`<script>alert(1)</script> & | ! :*`)).trees).toEqual([]);
  });
});
