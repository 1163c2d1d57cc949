import { afterAll, beforeAll, expect, it } from "vitest";
import { marker } from "~/server/model/markers";
import { createRunnerClient } from "~/server/runtime/client";
import { describeEachDatabase } from "~/server/testing/database";
import { startLive, waitForIdleTree, waitUntil, type Live } from "~/server/testing/live";
import type { Span } from "./span";

// Through the real runner and the Demo model: the trace of a run as the runner saw it.
describeEachDatabase("traces", (database) => {
  let live: Live;
  beforeAll(async () => {
    live = await startLive(database.client, { deltaDelayMs: 2 });
  });
  afterAll(() => live?.stop());

  const runner = async () => createRunnerClient((await live.services.runners.link(live.runnerId))!.endpoint, { directory: live.directory });
  const allSpans = async (sessionId: string) => {
    const spans: Span[] = [];
    let cursor: string | undefined;
    do {
      const page = await live.api.trace.spans({ sessionId, cursor, limit: 7 });
      spans.push(...page.spans);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return spans;
  };

  it("parallel sub-agents overlap, nest to depth 2, last as long as the runner's calls, and add up to the runner's totals", async () => {
    const { id } = await live.api.session.create({ runnerId: live.runnerId, directory: live.directory });
    await live.api.session.prompt({ sessionId: id, text: `${marker("parallel", 2)} Fan out.` });
    await waitForIdleTree(live.services, id);

    const spans = await allSpans(id);
    expect(new Set(spans.map((s) => s.id)).size).toBe(spans.length);
    const byId = new Map(spans.map((s) => [s.id, s]));
    const depth = (span: Span): number => {
      let d = 0;
      for (let at = span.parentId ? byId.get(span.parentId) : undefined; at; at = at.parentId ? byId.get(at.parentId) : undefined) {
        if (at.kind === "subagent") d += 1;
      }
      return d;
    };
    const subagents = spans.filter((s) => s.kind === "subagent");
    expect(subagents.map(depth).sort()).toEqual([0, 0, 1, 1]);
    const [a, b] = subagents.filter((s) => depth(s) === 0);
    // Spawned in one step: both run at once.
    expect(a!.startMs).toBeLessThan(b!.endMs!);
    expect(b!.startMs).toBeLessThan(a!.endMs!);
    // Every child session's turn sits under the call that spawned it.
    for (const sub of subagents) {
      expect(spans.filter((s) => s.parentId === sub.id && s.kind === "turn").map((s) => s.sessionId)).toEqual([sub.childSessionId]);
    }

    // Tool times and totals against what the runner itself reports for every session of the tree.
    const client = await runner();
    const sessions = await database.client.session.findMany({ where: { rootId: id }, select: { id: true, opencodeId: true } });
    expect(sessions).toHaveLength(5);
    let cost = 0;
    let input = 0;
    let output = 0;
    let toolsChecked = 0;
    for (const session of sessions) {
      const { data: messages } = await client.session.messages({ sessionID: session.opencodeId }, { throwOnError: true });
      for (const { info, parts } of messages) {
        if (info.role !== "assistant") continue;
        cost += info.cost;
        input += info.tokens.input;
        output += info.tokens.output;
        for (const part of parts) {
          if (part.type !== "tool" || part.state.status !== "completed") continue;
          const { start, end } = part.state.time;
          const span = spans.find((s) => s.sessionId === session.id && (s.kind === "tool" || s.kind === "subagent") && s.name === part.tool && s.startMs === start);
          expect(span, `${part.tool} call of ${session.opencodeId}`).toBeDefined();
          expect(span!.endMs! - span!.startMs).toBe(end - start);
          toolsChecked += 1;
        }
      }
    }
    expect(toolsChecked).toBeGreaterThanOrEqual(6);
    const summary = await live.api.trace.summary({ sessionId: id });
    expect(cost).toBeGreaterThan(0);
    expect(summary.tree.cost).toBeCloseTo(cost, 10);
    expect(summary.tree.tokens).toMatchObject({ input, output });
    expect(summary.tree.unpricedSteps).toBe(0);
    expect(summary.sessions.map((s) => s.depth).sort()).toEqual([0, 1, 1, 2, 2]);
    expect(summary.byTool.find((t) => t.tool === "task")).toMatchObject({ count: 4, failures: 0 });
    // Any member of the tree gives the tree's trace.
    expect((await live.api.trace.summary({ sessionId: sessions.find((s) => s.id !== id)!.id })).tree).toEqual(summary.tree);

    // Reverting the turn takes its sub-agents out of the trace with it.
    const turn = await database.client.turn.findFirstOrThrow({ where: { sessionId: id, index: 1 } });
    await live.api.session.revert({ sessionId: id, messageId: turn.userMessageId });
    expect(await allSpans(id)).toEqual([]);
    expect((await live.api.trace.summary({ sessionId: id })).tree.steps).toBe(0);
  });

  it("a tool waiting on a permission runs and waits live; an abort closes it as interrupted", async () => {
    const { id } = await live.api.session.create({ runnerId: live.runnerId, directory: live.directory });
    const stop = new AbortController();
    const seen: Span[][] = [];
    const following = (async () => {
      for await (const { spans } of await live.apiUntil(stop.signal).trace.live({ sessionId: id })) seen.push(spans);
    })().catch(() => {});
    await live.api.session.prompt({ sessionId: id, text: marker("permission") });

    const latest = (kind: Span["kind"]) => seen.flat().filter((s) => s.kind === kind).at(-1);
    await waitUntil(() => latest("wait")?.status === "running", 30_000, "the permission wait to reach the subscriber");
    expect(latest("tool")).toMatchObject({ name: "bash", status: "running", endMs: null });

    await live.api.session.abort({ sessionId: id });
    await waitUntil(() => latest("tool")?.status === "interrupted", 30_000, "the tool to be closed as interrupted");
    expect(latest("tool")!.endMs).not.toBeNull();
    expect(latest("wait")).toMatchObject({ status: "completed" });
    stop.abort();
    await following;

    const stored = (await live.api.trace.spans({ sessionId: id })).spans;
    expect(stored.find((s) => s.kind === "tool")).toMatchObject({ status: "interrupted" });
    expect(stored.find((s) => s.kind === "turn")).toMatchObject({ status: "aborted" });
    const detail = await live.api.trace.span({ sessionId: id, spanId: stored.find((s) => s.kind === "tool")!.id });
    expect(detail.input).toMatchObject({ command: expect.any(String) });
  });
});
