import { randomUUID } from "node:crypto";
import { expect, it } from "vitest";
import { describeEachDatabase } from "~/server/testing/database";
import { ArchiveConflictError, ArchiveError } from "./errors";
import { loadArchivedTree } from "./read";
import { purgeTree } from "./retention";
import { treeStats } from "./stats";
import { applyEvent } from "~/server/store/apply-events";
import { ArchiveIds } from "~/server/store/ids";
import { planTreeSync } from "./plan";
import { commitSync, prepareSync, syncTree } from "./sync";
import { appendTextTurn, archiveContent, MemorySource, rowCounts, sourceTreeFromRows, subagentRunRows, SUBAGENT_RUN_ROOT, syntheticTree } from "./testing";

type Entry = { info: { id: string; role: string }; parts: { id: string; type: string; text?: string }[] };

describeEachDatabase("archive full sync", (database) => {
  const newRunner = async () =>
    (await database.client.runner.create({ data: { name: `runtime-${randomUUID()}`, kind: "remote", url: "", status: "stopped" } })).id;
  const target = (runnerId: string) => ({ runnerId, rootOpencodeId: SUBAGENT_RUN_ROOT });
  const sourceTree = () => sourceTreeFromRows(subagentRunRows(), SUBAGENT_RUN_ROOT);

  it("writes a whole tree with its sub-agent links in one version; a second run changes nothing", async () => {
    const db = database.client;
    const runnerId = await newRunner();
    const source = new MemorySource(sourceTree());
    const first = await syncTree(db, source, target(runnerId));
    expect(first).toMatchObject({ version: 1, sessions: 3, attempts: 1, rejected: 0 });
    expect(first.changes).toBeGreaterThan(30);

    const content = await archiveContent(db, runnerId);
    expect(content).toHaveLength(3);
    const root = content.find((s) => s.opencodeId === SUBAGENT_RUN_ROOT)!;
    expect(root).toMatchObject({ title: "x", status: "idle", parents: [], turns: [{ index: 1, status: "completed" }] });
    expect(root.messages).toHaveLength(3);
    // Each sub-agent hangs off the task call and turn of its parent that spawned it.
    const children = content.filter((s) => s.opencodeId !== SUBAGENT_RUN_ROOT);
    for (const child of children) {
      expect(child.root).toBe(SUBAGENT_RUN_ROOT);
      expect(child.parents).toEqual([expect.objectContaining({ kind: "subagent", turn: 1, toolCallId: expect.stringMatching(/^call_/) })]);
      const parent = content.find((s) => s.opencodeId === child.parents[0]!.parent)!;
      expect(parent.parts.some((p) => p.span?.child === child.opencodeId && p.span.callId === child.parents[0]!.toolCallId)).toBe(true);
    }
    const rows = await db.session.findMany({ where: { runnerId }, select: { archiveState: true, lastArchivedAt: true, archiveVersion: true, rootId: true, id: true } });
    expect(rows.every((r) => r.archiveState === "archived" && r.lastArchivedAt)).toBe(true);
    // The imported tree keeps the runner's times, not the time of the import.
    expect(root.createdAt).toBe(new Date(1795425120366).toISOString());
    expect(root.turns[0]!.startedAt).toBe(new Date(1795425121203).toISOString());

    const counts = await rowCounts(db);
    const second = await syncTree(db, source, target(runnerId));
    expect(second).toMatchObject({ version: 2, changes: 0, removedTurns: 0 });
    expect(await archiveContent(db, runnerId)).toEqual(content);
    expect(await rowCounts(db)).toEqual(counts);

    const tree = await loadArchivedTree(db, rows.find((r) => r.id === r.rootId)!.id);
    const stats = treeStats(tree);
    expect(stats).toMatchObject({ turns: 1, subAgents: 2, subAgentTurns: 2, messages: 9, toolCalls: 3 });
    expect(stats.tokens.input).toBeGreaterThan(0);
    expect(stats.cost).toBeCloseTo(0.002625 + 0.002863 + 0.002624 + 0.002825 + 0.002624 + 0.002643, 5);
    expect(stats.durationMs).toBeGreaterThan(0);
  });

  it("follows the source: changed content is rewritten, removed turns go, nothing else moves", async () => {
    const db = database.client;
    const runnerId = await newRunner();
    const tree = sourceTree();
    const source = new MemorySource(tree);
    await syncTree(db, source, target(runnerId));
    const before = await archiveContent(db, runnerId);

    const child = tree.sessions[1]!;
    const edited = (child.messages as Entry[]).at(-1)!.parts.find((p) => p.type === "text")!;
    edited.text = "A corrected answer.";
    const grandchild = tree.sessions[2]!;
    const dropped = (grandchild.messages as Entry[]).map((m) => m.info.id);
    grandchild.messages = [];
    const outcome = await syncTree(db, source, target(runnerId));
    expect(outcome.removedTurns).toBe(1);

    const after = await archiveContent(db, runnerId);
    const childAfter = after.find((s) => s.opencodeId === child.info.id)!;
    expect(childAfter.parts.find((p) => p.id === edited.id)!.text).toBe("A corrected answer.");
    const grandchildAfter = after.find((s) => s.opencodeId === grandchild.info.id)!;
    expect(grandchildAfter.messages.map((m) => m.id).filter((id) => dropped.includes(id))).toEqual([]);
    expect(grandchildAfter.turns).toEqual([]);
    // The root is untouched.
    expect(after.find((s) => s.opencodeId === SUBAGENT_RUN_ROOT)).toEqual(before.find((s) => s.opencodeId === SUBAGENT_RUN_ROOT));
  });

  it("two concurrent syncs of one tree: one commits, the other loses the lock; no duplicate rows", async () => {
    const db = database.client;
    const runnerId = await newRunner();
    const source = new MemorySource(sourceTree());
    // Both read the archive (empty) and plan before either writes.
    const [a, b] = [await prepareSync(db, source, target(runnerId)), await prepareSync(db, source, target(runnerId))];
    const countsBefore = await rowCounts(db);
    const results = await Promise.allSettled([commitSync(db, a), commitSync(db, b)]);
    const won = results.filter((r) => r.status === "fulfilled");
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]!.reason).toBeInstanceOf(ArchiveConflictError);
    const counts = await rowCounts(db);
    expect(counts.sessions - countsBefore.sessions).toBe(3);
    expect(counts.messages - countsBefore.messages).toBe(9);
    expect(counts.parts - countsBefore.parts).toBe(24);
    const content = await archiveContent(db, runnerId);

    // Racing full syncs (each retries once after losing) all complete, one after the other.
    const outcomes = await Promise.all([1, 2, 3].map(() => syncTree(db, source, target(runnerId), { retries: 3 })));
    expect(outcomes.map((o) => o.version).sort()).toEqual([2, 3, 4]);
    expect(await rowCounts(db)).toEqual(counts);
    expect(await archiveContent(db, runnerId)).toEqual(content);
    const root = await db.session.findFirstOrThrow({ where: { runnerId, opencodeId: SUBAGENT_RUN_ROOT } });
    expect(root).toMatchObject({ archiveVersion: 4, archiveState: "archived" });
  });

  it("a failed sync leaves the previous archive whole and says why", async () => {
    const db = database.client;
    const runnerId = await newRunner();
    const tree = sourceTree();
    const source = new MemorySource(tree);
    await syncTree(db, source, target(runnerId));
    const before = await archiveContent(db, runnerId);

    (tree.sessions[0]!.messages as Entry[])[0]!.parts[0]!.text = "changed, but never committed";
    const failing = syncTree(db, source, target(runnerId), {
      hooks: {
        beforeCommit: async () => {
          throw new Error("disk full");
        },
      },
    });
    await expect(failing).rejects.toThrow("disk full");
    expect(await archiveContent(db, runnerId)).toEqual(before);
    const root = await db.session.findFirstOrThrow({ where: { runnerId, opencodeId: SUBAGENT_RUN_ROOT } });
    expect(root).toMatchObject({ archiveState: "failed", archiveError: "disk full", archiveVersion: 1 });

    source.tree = undefined;
    await expect(syncTree(db, source, target(runnerId))).rejects.toMatchObject({ kind: "source_gone" });
    expect(await archiveContent(db, runnerId)).toEqual(before);

    source.tree = tree;
    await syncTree(db, source, target(runnerId));
    const after = await db.session.findFirstOrThrow({ where: { runnerId, opencodeId: SUBAGENT_RUN_ROOT } });
    expect(after).toMatchObject({ archiveState: "archived", archiveError: null, archiveVersion: 2 });
  });

  it("a purged tree answers 410 and is never written again", async () => {
    const db = database.client;
    const runnerId = await newRunner();
    const source = new MemorySource(sourceTree());
    const { rootId } = await syncTree(db, source, target(runnerId));
    const child = await db.session.findFirstOrThrow({ where: { rootId, NOT: { id: rootId } } });
    expect(await purgeTree(db, rootId)).toBe(3);
    for (const id of [rootId, child.id]) {
      await expect(loadArchivedTree(db, id)).rejects.toMatchObject({ kind: "purged" });
    }
    expect(await db.message.count({ where: { session: { runnerId } } })).toBe(0);
    await expect(syncTree(db, source, target(runnerId))).rejects.toBeInstanceOf(ArchiveError);
    expect(await db.message.count({ where: { session: { runnerId } } })).toBe(0);
    await expect(loadArchivedTree(db, randomUUID())).rejects.toMatchObject({ kind: "unknown" });
    await expect(loadArchivedTree(db, "not-a-session")).rejects.toMatchObject({ kind: "malformed_id" });
  });

  it("writes a large tree in bulk exactly as the live path writes it event by event; a second sync writes nothing", async () => {
    const db = database.client;
    const tree = syntheticTree(3, 150);
    const synced = await newRunner();
    const first = await syncTree(db, new MemorySource(tree), { runnerId: synced, rootOpencodeId: tree.root });
    expect(first).toMatchObject({ rejected: 0, sessions: 1 });
    expect(first.changes).toBeGreaterThan(3 * 150);

    // The live path's writes: every planned event through applyEvent, one at a time.
    const live = await newRunner();
    const ids = new ArchiveIds(live, "/work/demo");
    await db.$transaction(async (tx) => {
      for (const event of planTreeSync(tree).events) await applyEvent(tx, ids, event, new Date());
    }, { timeout: 120_000 });
    const content = async (runnerId: string) =>
      (await archiveContent(db, runnerId)).map((s) => ({ messages: s.messages, parts: s.parts, turns: s.turns.map((t) => [t.index, t.userMessageId]) }));
    const stored = await content(synced);
    expect(stored).toEqual(await content(live));
    const parts = stored[0]!.parts;
    expect(parts).toHaveLength(3 * 154);
    // Exact text, in columns and in JSON (keys too), and the span's output cap.
    expect(parts[0]!.text).toContain("nul:\u0000 high:\uDBFF low:\uDC00 escape:\uFDD0 é");
    const tool = parts.find((p) => (p.span?.input as Record<string, unknown> | undefined)?.["key nul:\u0000 high:\uDBFF low:\uDC00 escape:\uFDD0 é"])!;
    expect(tool.span!.output).toContain("\u0000");
    expect(parts.some((p) => p.span?.status === "error")).toBe(true);
    const spans = await db.toolSpan.findMany({ where: { session: { runnerId: synced }, outputTruncated: true } });
    expect(spans).toHaveLength(3);

    const counts = await rowCounts(db);
    const whole = await archiveContent(db, synced);
    const second = await syncTree(db, new MemorySource(tree), { runnerId: synced, rootOpencodeId: tree.root });
    expect(second).toMatchObject({ changes: 0 });
    expect(await rowCounts(db)).toEqual(counts);
    expect(await archiveContent(db, synced)).toEqual(whole);
  });

  it("an incremental sync still repairs messages it had verified that the archive lost or the app rewrote since", async () => {
    const db = database.client;
    const tree = syntheticTree(2, 5);
    const runnerId = await newRunner();
    const sync = () => syncTree(db, new MemorySource(tree), { runnerId, rootOpencodeId: tree.root });
    await sync();
    expect(await db.message.count({ where: { session: { runnerId }, syncFingerprint: { not: null } } })).toBe(6);
    expect(await sync()).toMatchObject({ changes: 0 });
    const whole = await archiveContent(db, runnerId);

    const [firstStep, firstAnswer, secondStep] = (tree.sessions[0]!.messages as Entry[]).filter((m) => m.info.role === "assistant");
    const inTree = (messageId: string) => ({ session: { runnerId }, message: { opencodeId: messageId } });
    await db.part.deleteMany({ where: { ...inTree(firstStep!.info.id), type: "tool", opencodeId: firstStep!.parts[2]!.id } });
    const answer = await db.part.findFirstOrThrow({ where: { ...inTree(firstAnswer!.info.id), type: "text" } });
    await db.part.update({ where: { id: answer.id }, data: { text: "rewritten" } });
    await db.message.deleteMany({ where: { session: { runnerId }, opencodeId: secondStep!.info.id } });

    const repair = await sync();
    expect(repair.changes).toBeGreaterThan(5);
    expect(await archiveContent(db, runnerId)).toEqual(whole);
    expect(await sync()).toMatchObject({ changes: 0 });
  });

  /** A synced tree of one turn and three tool calls, to change on the runner and rewrite as the live path would. */
  async function syncedSmallTree() {
    const db = database.client;
    const tree = syntheticTree(1, 3);
    const runnerId = await newRunner();
    const t = { runnerId, rootOpencodeId: tree.root };
    await syncTree(db, new MemorySource(tree), t);
    const row = (id: string) => db.part.findFirstOrThrow({ where: { session: { runnerId }, opencodeId: id } });
    return {
      db,
      tree,
      t,
      parts: (tree.sessions[0]!.messages as Entry[])[1]!.parts,
      changeOnRunner: (part: { id: string }) => ((part as unknown as { state: { output: string } }).state.output = "changed on the runner"),
      partData: async (id: string) => (await row(id)).data,
      /** As the live path stores a newer copy of a part. */
      writeLive: async (id: string) => {
        const { id: rowId, data } = await row(id);
        await db.part.update({ where: { id: rowId }, data: { data: { ...(data as object), live: true } } });
      },
    };
  }

  it("leaves a part the live path writes during a sync to it, and repairs it on the next sync", async () => {
    const { db, tree, t, parts, changeOnRunner, partData, writeLive } = await syncedSmallTree();
    const [changed, written] = [parts[1]!, parts[2]!];
    changeOnRunner(changed);

    const prepared = await prepareSync(db, new MemorySource(tree), t);
    // After the source was read: the live path rewrites another part of the same message.
    await writeLive(written.id);
    await commitSync(db, prepared);
    expect(await partData(written.id)).toMatchObject({ live: true });
    expect(JSON.stringify(await partData(changed.id))).toContain("changed on the runner");

    // The runner never had that write: the next sync does not trust the message and puts it back.
    await syncTree(db, new MemorySource(tree), t);
    expect(await partData(written.id)).not.toHaveProperty("live");
  });

  it("keeps a part the live path writes while the runner is read over the runner's older copy, and repairs it on the next sync", async () => {
    const { db, tree, t, parts, changeOnRunner, partData, writeLive } = await syncedSmallTree();
    const part = parts[2]!;
    changeOnRunner(part);

    class WrittenMeanwhile extends MemorySource {
      override async loadTree(...args: Parameters<MemorySource["loadTree"]>) {
        const read = await super.loadTree(...args);
        // The runner answered; before the sync goes on, the live path stores a newer copy of the part.
        await writeLive(part.id);
        return read;
      }
    }
    await syncTree(db, new WrittenMeanwhile(tree), t);
    expect(await partData(part.id)).toMatchObject({ live: true });

    await syncTree(db, new MemorySource(tree), t);
    expect(await partData(part.id)).not.toHaveProperty("live");
    expect(JSON.stringify(await partData(part.id))).toContain("changed on the runner");
  });

  it("a tree synced as it grows ends as a tree synced once", async () => {
    const db = database.client;
    const tree = syntheticTree(3, 40);
    const [grown, once] = [await newRunner(), await newRunner()];
    const target = (runnerId: string) => ({ runnerId, rootOpencodeId: tree.root });
    const messages = tree.sessions[0]!.messages as Entry[];
    for (const count of [2, 4, 6, 9]) {
      const partial = structuredClone(tree);
      // A turn caught mid-step: its last message has only half its parts yet.
      const listed = (partial.sessions[0]!.messages = messages.slice(0, count).map((m) => structuredClone(m))) as Entry[];
      if (count === 4) listed.at(-1)!.parts.splice(20);
      await syncTree(db, new MemorySource(partial), target(grown));
    }
    await syncTree(db, new MemorySource(tree), target(once));
    const content = async (runnerId: string) => (await archiveContent(db, runnerId)).map(({ messages, parts, turns }) => ({ messages, parts, turns }));
    expect(await content(grown)).toEqual(await content(once));
  });

  it("an idle sync reads only the runner's newest messages, as far back as it verified, and ends as a whole read would", async () => {
    const db = database.client;
    const tree = syntheticTree(4, 3);
    const [recent, whole] = [await newRunner(), await newRunner()];
    const messages = tree.sessions[0]!.messages as Entry[];
    const content = async (runnerId: string) => (await archiveContent(db, runnerId)).map(({ messages, parts, turns }) => ({ messages, parts, turns }));
    /** Syncs `recent` as an idle sync does and `whole` as a manual one; both archives must agree. */
    const syncBoth = async () => {
      const source = new MemorySource(tree);
      const outcome = await syncTree(db, source, { runnerId: recent, rootOpencodeId: tree.root }, { recent: true });
      await syncTree(db, new MemorySource(tree), { runnerId: whole, rootOpencodeId: tree.root });
      expect(await content(recent)).toEqual(await content(whole));
      return { ...outcome, limits: source.limits };
    };
    // Nothing verified yet: nothing a partial read could join.
    expect(await syncBoth()).toMatchObject({ read: "whole", limits: [undefined] });

    appendTextTurn(messages, tree.root, 1_900_000_000_000);
    const oneTurn = await syncBoth();
    expect(oneTurn).toMatchObject({ read: "recent", changes: 7 });
    // One message first (the archive lacked the turn), then far enough to reach what it verified.
    expect(oneTurn.limits).toEqual([1, 3]);

    // A revert the runner committed: its newest turns gone, a new one in their place.
    messages.splice(-6);
    appendTextTurn(messages, tree.root, 1_900_000_001_000);
    const reverted = await syncBoth();
    expect(reverted).toMatchObject({ read: "recent", removedTurns: 2 });
    expect(Math.max(...reverted.limits.map(Number))).toBeLessThan(messages.length);

    // Many turns the archive never saw: the read widens until it reaches them all.
    for (let turn = 0; turn < 6; turn++) appendTextTurn(messages, tree.root, 1_900_000_002_000 + turn * 100);
    const many = await syncBoth();
    expect(many).toMatchObject({ read: "recent", changes: 6 * 7 });
    expect(many.limits).toEqual([1, 3, 7, 15]);

    // A busy session's messages are never vouched for: the whole tree is read.
    tree.sessions[0]!.status = { type: "busy" };
    expect(await syncBoth()).toMatchObject({ read: "whole", limits: [1, undefined] });
  });

  it("widens a recent read only in the sessions it fell short in", async () => {
    const db = database.client;
    const [recent, whole] = [await newRunner(), await newRunner()];
    const tree = sourceTree();
    const source = new MemorySource(tree);
    await syncTree(db, source, target(recent));
    const root = tree.sessions.find((s) => s.info.id === SUBAGENT_RUN_ROOT)!;
    // Three turns of the root the archive never saw (ids after the run's own, as opencode makes them).
    for (let turn = 0; turn < 3; turn++) appendTextTurn(root.messages, SUBAGENT_RUN_ROOT, 0xe000_0000_0000 + turn * 100);
    source.limits.length = 0;
    expect(await syncTree(db, source, target(recent), { recent: true })).toMatchObject({ read: "recent", changes: 3 * 7, sessions: 3 });
    // The tree once, then the root's messages alone, further back each time.
    expect(source.limits).toEqual([1, 3, 7]);
    await syncTree(db, new MemorySource(tree), target(whole));
    const content = async (runnerId: string) => (await archiveContent(db, runnerId)).map(({ messages, parts, turns }) => ({ messages, parts, turns }));
    expect(await content(recent)).toEqual(await content(whole));
  });
});
