import { afterAll, beforeAll, expect, it } from "vitest";
import { marker } from "~/server/model/markers";
import { createRunnerClient } from "~/server/runtime/client";
import { tokenTotal, type Tokens } from "~/server/stream/entities";
import { describeEachDatabase } from "~/server/testing/database";
import { startLive, waitForIdleTree, type Live } from "~/server/testing/live";
import { addDays, dayOf } from "./range";

// Through the real runner and the Demo model: what the Usage page adds up is what the runner
// itself reports, message by message, for every session of every tree (sub-agents included).
describeEachDatabase("usage of real runs", (database) => {
  let live: Live;
  beforeAll(async () => {
    live = await startLive(database.client);
  });
  afterAll(() => live?.stop());

  it("equals the sum of the runner's per-message tokens and cost, per tree and in total", async () => {
    const run = async (text: string) => {
      const { id } = await live.api.session.create({ runnerId: live.runnerId, directory: live.directory });
      await live.api.session.prompt({ sessionId: id, text });
      return id;
    };
    const withSubagent = await run(`${marker("task")} Delegate.`);
    const plain = await run(`${marker("reasoning")} Think, then answer.`);
    await Promise.all([waitForIdleTree(live.services, withSubagent), waitForIdleTree(live.services, plain)]);

    // The runner's own figures, read with the SDK for every session of each tree.
    const client = createRunnerClient((await live.services.runners.link(live.runnerId))!.endpoint, { directory: live.directory });
    const runnerTotals = async (rootId: string) => {
      const sessions = await database.client.session.findMany({ where: { rootId }, select: { opencodeId: true } });
      const sum = { steps: 0, cost: 0, tokens: { input: 0, output: 0, reasoning: 0, cacheRead: 0, cacheWrite: 0 } as Tokens, sessions: sessions.length };
      for (const session of sessions) {
        const { data: messages } = await client.session.messages({ sessionID: session.opencodeId }, { throwOnError: true });
        for (const { info } of messages) {
          if (info.role !== "assistant") continue;
          sum.steps += 1;
          sum.cost += info.cost;
          sum.tokens.input += info.tokens.input;
          sum.tokens.output += info.tokens.output;
          sum.tokens.reasoning += info.tokens.reasoning;
          sum.tokens.cacheRead += info.tokens.cache.read;
          sum.tokens.cacheWrite += info.tokens.cache.write;
        }
      }
      return sum;
    };
    const expected = { [withSubagent]: await runnerTotals(withSubagent), [plain]: await runnerTotals(plain) };
    expect(expected[withSubagent]!.sessions).toBe(2);
    expect(expected[plain]!.tokens.reasoning).toBeGreaterThan(0);

    // Around today, so a run across midnight (UTC) is still in range.
    const today = dayOf(new Date());
    const report = await live.api.usage.report({ from: addDays(today, -1), to: addDays(today, 1) });
    for (const rootId of [withSubagent, plain]) {
      const tree = report.topTrees.find((t) => t.rootId === rootId);
      const want = expected[rootId]!;
      expect(want.cost).toBeGreaterThan(0);
      expect(tree, `tree ${rootId} in the top trees`).toMatchObject({ steps: want.steps, tokens: want.tokens, startedBy: "Test admin" });
      expect(tree!.cost).toBeCloseTo(want.cost, 10);
    }
    const all = Object.values(expected);
    const sumOf = (pick: (t: (typeof all)[number]) => number) => all.reduce((total, t) => total + pick(t), 0);
    expect(report.totals.steps).toBe(sumOf((t) => t.steps));
    expect(tokenTotal(report.totals.tokens)).toBe(sumOf((t) => tokenTotal(t.tokens)));
    expect(report.totals.cost).toBeCloseTo(sumOf((t) => t.cost), 10);
    expect(report.totals.unpricedSteps).toBe(0);
    // The sub-agent's steps count for the person who started its root, and on its own agent.
    expect(report.byPerson).toMatchObject([{ label: "Test admin", steps: report.totals.steps }]);
    expect(report.byAgent.map((g) => g.label)).toContain("general");
    expect(report.byRunner).toMatchObject([{ key: live.runnerId, steps: report.totals.steps }]);
  });
});
