import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { expect, it } from "vitest";
import { importOpencodeDb } from "~/server/archive/import";
import { syncTree } from "~/server/archive/sync";
import { archiveContent, MemorySource } from "~/server/archive/testing";
import type { PrismaClient } from "~/server/generated/prisma/client";
import { describeEachDatabase } from "~/server/testing/database";
import { seedTraceTree, traceTree, traceSourceTree, writeTraceTreeOpencodeDb } from "./testing";
import { summaryOf, treeTrace } from "./trace";

/** What archiveContent leaves out: archive columns, the snapshot row, how each message's cost was found, waits. */
async function sessionExtras(db: PrismaClient, runnerId: string) {
  const rows = await db.session.findMany({
    where: { runnerId },
    orderBy: { opencodeId: "asc" },
    select: {
      opencodeId: true,
      archiveState: true,
      archiveVersion: true,
      lastActivityAt: true,
      root: { select: { opencodeId: true } },
      boundary: { select: { seq: true, status: true, usage: true, agent: true, providerId: true, modelId: true, requests: true, currentTurn: { select: { index: true } } } },
      messages: { orderBy: { opencodeId: "asc" }, select: { opencodeId: true, cost: true, costSource: true, priceVersion: true } },
      waitSpans: { select: { key: true } },
    },
  });
  return rows;
}

describeEachDatabase("trace tree fixture", (database) => {
  it("seeds a 500-span tree: turns, steps and tool calls add up, sub-agents nest to depth 2 and overlap", async () => {
    const db = database.client;
    const seeded = await seedTraceTree(db, { spans: 500 });
    const { counts } = seeded;
    expect(counts.spans).toBe(500);
    expect(counts.turns + counts.steps + counts.toolCalls).toBe(500);

    const sessions = await db.session.findMany({ where: { runnerId: seeded.runnerId }, select: { id: true, rootId: true, archiveState: true, status: true } });
    expect(sessions).toHaveLength(counts.sessions);
    expect(sessions.every((s) => s.rootId === seeded.rootSessionId && s.archiveState === "archived" && s.status === "idle")).toBe(true);
    const inTree = { session: { rootId: seeded.rootSessionId } };
    const [turns, steps, spans] = await Promise.all([
      db.turn.count({ where: inTree }),
      db.message.count({ where: { ...inTree, role: "assistant" } }),
      db.toolSpan.findMany({ where: inTree, include: { part: { select: { messageId: true, message: { select: { role: true, turnId: true } } } } } }),
    ]);
    expect({ turns, steps, toolCalls: spans.length }).toEqual({ turns: counts.turns, steps: counts.steps, toolCalls: counts.toolCalls });
    expect(turns + steps + spans.length).toBe(500);
    // Every tool call hangs off an assistant message (its step) of its own turn.
    expect(spans.every((s) => s.part.message.role === "assistant" && s.part.message.turnId === s.turnId)).toBe(true);
    expect(new Set(spans.map((s) => s.tool))).toEqual(new Set(["read", "grep", "bash", "edit", "task"]));
    expect(spans.filter((s) => s.status === "error").length).toBe(counts.errors);
    expect(counts.errors).toBeGreaterThan(0);
    expect(spans.every((s) => s.startedAt && s.endedAt && s.durationMs === s.endedAt.getTime() - s.startedAt.getTime())).toBe(true);

    // Sub-agents: each child session is spawned by one task call of its parent, in that call's turn.
    const relations = await db.sessionRelation.findMany({ where: { parent: { rootId: seeded.rootSessionId } } });
    const tasks = spans.filter((s) => s.tool === "task");
    expect(tasks.length).toBe(counts.taskCalls);
    expect(relations).toHaveLength(counts.subagents);
    const depth = new Map([[seeded.rootSessionId, 0]]);
    for (const relation of relations) {
      expect(relation.kind).toBe("subagent");
      const task = tasks.find((t) => t.childSessionId === relation.childId)!;
      expect(task).toMatchObject({ sessionId: relation.parentId, callId: relation.toolCallId, turnId: relation.turnId, status: "completed" });
      // The child's turn runs inside the task call.
      const childTurns = await db.turn.findMany({ where: { sessionId: relation.childId } });
      expect(childTurns).toHaveLength(1);
      expect(childTurns[0]!.startedAt.getTime()).toBeGreaterThanOrEqual(task.startedAt!.getTime());
      expect(childTurns[0]!.endedAt!.getTime()).toBeLessThanOrEqual(task.endedAt!.getTime());
    }
    // Parents are written first, so one pass in creation order finds every depth.
    const ordered = await db.session.findMany({ where: { runnerId: seeded.runnerId }, orderBy: { createdAt: "asc" }, select: { id: true } });
    for (const { id } of ordered) {
      const relation = relations.find((r) => r.childId === id);
      if (relation) depth.set(id, depth.get(relation.parentId)! + 1);
    }
    expect(Math.max(...depth.values())).toBe(2);
    expect(counts.depth).toBe(2);
    // Parallel sub-agents: sibling task calls of one step overlap in time.
    const parallel = tasks.filter((a) =>
      tasks.some((b) => a !== b && a.part.messageId === b.part.messageId && a.startedAt! < b.endedAt! && b.startedAt! < a.endedAt!),
    );
    // At the root and inside a sub-agent (depth 2 siblings).
    expect(new Set(parallel.map((t) => depth.get(t.sessionId)))).toEqual(new Set([0, 1]));
  });

  it("derives a trace of exactly that many spans, sub-agent turns under their task call, totals over every session", async () => {
    const db = database.client;
    const seeded = await seedTraceTree(db, { spans: 500, seed: 3 });
    const { counts } = seeded;
    const trace = await treeTrace(db, seeded.rootSessionId);
    const { spans } = trace;
    expect(spans).toHaveLength(500);
    const kinds: Record<string, number> = {};
    for (const span of spans) kinds[span.kind] = (kinds[span.kind] ?? 0) + 1;
    expect(kinds).toEqual({ turn: counts.turns, step: counts.steps, tool: counts.toolCalls - counts.taskCalls, subagent: counts.taskCalls });
    expect(spans.filter((s) => s.status === "error")).toHaveLength(counts.errors);
    expect(spans.every((s) => s.endMs !== null && s.endMs >= s.startMs)).toBe(true);

    const byId = new Map(spans.map((s) => [s.id, s]));
    const depthOf = (span: (typeof spans)[number]): number => {
      let depth = 0;
      for (let up = span.parentId ? byId.get(span.parentId) : undefined; up; up = up.parentId ? byId.get(up.parentId) : undefined) {
        if (up.kind === "subagent") depth++;
      }
      return depth;
    };
    const subagents = spans.filter((s) => s.kind === "subagent");
    for (const task of subagents) {
      const childTurns = spans.filter((s) => s.kind === "turn" && s.sessionId === task.childSessionId);
      expect(childTurns.map((t) => t.parentId)).toEqual([task.id]);
      expect(childTurns[0]!.startMs).toBeGreaterThanOrEqual(task.startMs);
      expect(childTurns[0]!.endMs!).toBeLessThanOrEqual(task.endMs!);
    }
    expect(Math.max(...spans.map(depthOf))).toBe(2);
    // Parallel sub-agents of one step overlap on the time axis, at the root and inside a sub-agent.
    const parallel = subagents.filter((a) => subagents.some((b) => a !== b && a.parentId === b.parentId && a.startMs < b.endMs! && b.startMs < a.endMs!));
    expect(new Set(parallel.map(depthOf))).toEqual(new Set([0, 1]));

    // Tree totals: every session's steps, the root's costs reported, the sub-agents' priced from the table.
    const summary = summaryOf(trace);
    const messages = await db.message.findMany({ where: { session: { rootId: seeded.rootSessionId }, role: "assistant" }, select: { cost: true, costSource: true } });
    expect(new Set(messages.map((m) => m.costSource))).toEqual(new Set(["reported", "computed"]));
    expect(summary).toMatchObject({ spanCount: 500, tree: { steps: counts.steps, toolCalls: counts.toolCalls, failures: counts.errors, unpricedSteps: 0 } });
    expect(summary.tree.cost).toBeCloseTo(messages.reduce((sum, m) => sum + m.cost, 0), 6);
    expect(summary.sessions).toHaveLength(counts.sessions);
  });

  it("writes what the archive sync and the import of an opencode.db write for the same tree", async () => {
    const db = database.client;
    // Large enough for a delegating first turn (sub-agents to depth 2), small enough to sync quickly.
    const options = { spans: 300, seed: 7, startMs: Date.UTC(2026, 10, 20, 9, 0, 0) };
    const seeded = await seedTraceTree(db, options);
    const tree = traceTree(options);

    const synced = (await db.runner.create({ data: { name: `synced ${randomUUID()}`, kind: "remote", url: "", status: "stopped" } })).id;
    const outcome = await syncTree(db, new MemorySource(traceSourceTree(tree)), { runnerId: synced, rootOpencodeId: tree.rootOpencodeId });
    expect(outcome.rejected).toBe(0);

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "flightdeck-trace-tree-"));
    try {
      const file = path.join(dir, "opencode.db");
      writeTraceTreeOpencodeDb(file, tree);
      const report = await importOpencodeDb(db, file, { runnerName: `imported ${randomUUID()}` });
      expect(report).toMatchObject({ trees: 1, sessions: tree.counts.sessions, failed: [] });

      const expected = await archiveContent(db, seeded.runnerId);
      expect(await archiveContent(db, synced)).toEqual(expected);
      expect(await archiveContent(db, report.runnerId)).toEqual(expected);
      const extras = await sessionExtras(db, seeded.runnerId);
      expect(await sessionExtras(db, synced)).toEqual(extras);
      expect(await sessionExtras(db, report.runnerId)).toEqual(extras);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
