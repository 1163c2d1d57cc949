import { randomUUID } from "node:crypto";
import { beforeAll, expect, it } from "vitest";
import type { PrismaClient } from "~/server/generated/prisma/client";
import { describeEachDatabase } from "~/server/testing/database";
import { usageReport, usageTrees, type UsageGroup } from "./report";

// Seeded rows, both databases: two people, two runners, a tree with a sub-agent on its own agent
// and model, a deleted tree with an unpriced step, and a tree outside the range.
//
//   tree    runner  started by  session    day         agent    model       in    out   cost
//   ada's   alpha   Ada         root       2026-11-02  build    demo/demo   100   10    0.10  (+ a user message)
//                               root       2026-11-03  build    demo/demo   200   20    0.20
//                               sub-agent  2026-11-03  general  other/m2    300   30    0.30
//   bob's   beta    Bob         root       2026-11-09  plan     demo/demo  1000  100    1.00  (tree deleted)
//                               root       2026-11-09  plan     demo/demo    10    0    0     (unpriced)
//   old     alpha   nobody      root       2026-10-20  build    demo/demo     5    0    5.00
describeEachDatabase("usage report", (database) => {
  const ids = { alpha: "", beta: "", ada: "", bob: "", adaTree: "", bobTree: "", oldTree: "" };
  const range = { from: "2026-11-01", to: "2026-11-10" };

  beforeAll(async () => {
    const db = database.client;
    ids.alpha = (await db.runner.create({ data: { name: "alpha", kind: "remote", url: "http://alpha.test" } })).id;
    ids.beta = (await db.runner.create({ data: { name: "beta", kind: "remote", url: "http://beta.test" } })).id;
    ids.ada = (await db.user.create({ data: { email: `ada-${randomUUID()}@x.test`, name: "Ada" } })).id;
    ids.bob = (await db.user.create({ data: { email: `bob-${randomUUID()}@x.test`, name: "Bob" } })).id;
    ids.adaTree = await session(db, { runnerId: ids.alpha, title: "Ada's tree", startedById: ids.ada });
    const child = await session(db, { runnerId: ids.alpha, title: "helper (@general subagent)", rootId: ids.adaTree });
    ids.bobTree = await session(db, { runnerId: ids.beta, title: "Bob's tree", startedById: ids.bob, deletedAt: new Date("2026-11-20") });
    ids.oldTree = await session(db, { runnerId: ids.alpha, title: "Old tree" });
    await messages(db, ids.adaTree, [
      { day: "2026-11-02", role: "user", agent: "build", model: "demo/demo" },
      { day: "2026-11-02", at: "23:59", agent: "build", model: "demo/demo", input: 100, output: 10, reasoning: 5, cacheRead: 50, cost: 0.1 },
      { day: "2026-11-03", agent: "build", model: "demo/demo", input: 200, output: 20, cost: 0.2 },
    ]);
    await messages(db, child, [{ day: "2026-11-03", agent: "general", model: "other/m2", input: 300, output: 30, cacheWrite: 7, cost: 0.3 }]);
    await messages(db, ids.bobTree, [
      { day: "2026-11-09", at: "00:01", agent: "plan", model: "demo/demo", input: 1000, output: 100, cost: 1 },
      { day: "2026-11-09", agent: "plan", model: "demo/demo", input: 10, unpriced: true },
    ]);
    await messages(db, ids.oldTree, [{ day: "2026-10-20", agent: "build", model: "demo/demo", input: 5, cost: 5 }]);
  });

  const costs = (groups: UsageGroup[]) => groups.map((g) => [g.label, round(g.cost)]);

  it("adds up every step of the range: totals, tokens by kind, unpriced steps", async () => {
    const report = await usageReport(database.client, range);
    expect(report.range).toEqual({ ...range, runnerId: null, bucket: "day" });
    expect(report.totals).toEqual({
      steps: 5,
      unpricedSteps: 1,
      tokens: { input: 1610, output: 160, reasoning: 5, cacheRead: 50, cacheWrite: 7 },
      cost: expect.closeTo(1.6, 10),
    });
  });

  it("buckets per UTC day and per week (Monday first), zeros where nothing ran", async () => {
    const daily = await usageReport(database.client, range);
    expect(daily.buckets).toHaveLength(10);
    expect(daily.series.filter((p) => p.steps > 0).map((p) => [p.bucket, round(p.cost), p.tokens.input])).toEqual([
      ["2026-11-02", 0.1, 100],
      ["2026-11-03", 0.5, 500],
      ["2026-11-09", 1, 1010],
    ]);
    expect(daily.series.find((p) => p.bucket === "2026-11-05")).toMatchObject({ steps: 0, cost: 0 });

    const weekly = await usageReport(database.client, { ...range, bucket: "week" });
    // 2026-11-01 is a Sunday: its week started on Monday 2026-10-26.
    expect(weekly.series.map((p) => [p.bucket, round(p.cost), p.steps])).toEqual([
      ["2026-10-26", 0, 0],
      ["2026-11-02", 0.6, 3],
      ["2026-11-09", 1, 2],
    ]);
    // The old tree's week is cut by the range: only the range's days count.
    expect(weekly.totals).toEqual(daily.totals);
  });

  it("breaks down by runner, model, agent and person; a sub-agent counts for the root's starter", async () => {
    const report = await usageReport(database.client, range);
    expect(costs(report.byRunner)).toEqual([["beta", 1], ["alpha", 0.6]]);
    expect(report.byRunner.map((g) => g.key)).toEqual([ids.beta, ids.alpha]);
    expect(costs(report.byModel)).toEqual([["demo/demo", 1.3], ["other/m2", 0.3]]);
    // Equal cost: more tokens first.
    expect(costs(report.byAgent)).toEqual([["plan", 1], ["build", 0.3], ["general", 0.3]]);
    expect(costs(report.byPerson)).toEqual([["Bob", 1], ["Ada", 0.6]]);
    const ada = report.byPerson.find((g) => g.label === "Ada")!;
    expect(ada).toMatchObject({ key: ids.ada, steps: 3, tokens: { input: 600, output: 60 } });
    // Per bucket, aligned with the report's buckets.
    expect(report.buckets[2]).toBe("2026-11-03");
    expect(round(ada.perBucket.cost[2]!)).toBe(0.5);
    expect(ada.perBucket.tokens[2]).toBe(550 + 7);
    expect(ada.perBucket.cost.reduce((a, b) => a + b)).toBeCloseTo(0.6, 10);
  });

  it("ranks the trees by cost, sub-agents inside, deleted ones kept", async () => {
    const { topTrees } = await usageReport(database.client, range);
    expect(topTrees.map((t) => [t.title, round(t.cost), t.steps, t.startedBy, t.runner?.name, t.deleted])).toEqual([
      ["Bob's tree", 1, 2, "Bob", "beta", true],
      ["Ada's tree", 0.6, 3, "Ada", "alpha", false],
    ]);
    expect(topTrees[1]).toMatchObject({ rootId: ids.adaTree, firstDay: "2026-11-02", lastDay: "2026-11-03" });

    const wider = await usageTrees(database.client, { from: "2026-10-01", to: "2026-11-30" });
    expect(wider.trees.map((t) => [t.rootId, t.startedBy])).toEqual([[ids.oldTree, null], [ids.bobTree, "Bob"], [ids.adaTree, "Ada"]]);
  });

  it("keeps to the date range and the runner asked for", async () => {
    const alpha = await usageReport(database.client, { ...range, runnerId: ids.alpha });
    expect(round(alpha.totals.cost)).toBe(0.6);
    expect(alpha.topTrees.map((t) => t.rootId)).toEqual([ids.adaTree]);
    expect(costs(alpha.byPerson)).toEqual([["Ada", 0.6]]);

    const oneDay = await usageReport(database.client, { from: "2026-11-03", to: "2026-11-03" });
    expect(oneDay.totals).toMatchObject({ steps: 2, tokens: { input: 500 } });
    const october = await usageReport(database.client, { from: "2026-10-01", to: "2026-10-31" });
    expect(october.totals).toMatchObject({ steps: 1, cost: 5 });
    expect(october.byPerson.map((g) => [g.key, g.label])).toEqual([[null, "Started outside Flightdeck"]]);
    const empty = await usageReport(database.client, { from: "2026-12-01", to: "2026-12-02" });
    expect(empty.totals).toMatchObject({ steps: 0, cost: 0 });
    expect([empty.byRunner, empty.topTrees, empty.series.map((p) => p.steps)]).toEqual([[], [], [0, 0]]);
  });

  it("defaults to the last 30 days and refuses a range it cannot show, saying why", async () => {
    const now = new Date("2026-11-10T23:59:00Z");
    expect((await usageReport(database.client, {}, now)).range).toMatchObject({ from: "2026-10-12", to: "2026-11-10", bucket: "day" });
    await expect(usageReport(database.client, { from: "2026-11-10", to: "2026-11-01" })).rejects.toThrow(/starts \(2026-11-10\) after it ends \(2026-11-01\)/);
    await expect(usageReport(database.client, { from: "2024-01-01", to: "2026-11-01" })).rejects.toThrow(/at most 731 days/);
    await expect(usageReport(database.client, { from: "2026-02-30" })).rejects.toThrow(/YYYY-MM-DD/);
  });
});

const round = (n: number) => Math.round(n * 1e6) / 1e6;

async function session(db: PrismaClient, data: { runnerId: string; title: string; rootId?: string; startedById?: string; deletedAt?: Date }) {
  const { id } = await db.session.create({ data: { opencodeId: `ses_${randomUUID()}`, directory: "/w", ...data } });
  if (!data.rootId) await db.session.update({ where: { id }, data: { rootId: id } });
  return id;
}

type Step = {
  day: string;
  /** UTC time of day, HH:MM (default noon). */
  at?: string;
  role?: "user" | "assistant";
  agent: string;
  model: string;
  input?: number;
  output?: number;
  reasoning?: number;
  cacheRead?: number;
  cacheWrite?: number;
  cost?: number;
  unpriced?: boolean;
};

async function messages(db: PrismaClient, sessionId: string, steps: Step[]) {
  const { id: turnId } = await db.turn.create({ data: { sessionId, index: 1, userMessageId: "msg_0" } });
  await db.message.createMany({
    data: steps.map((step, i) => {
      const [providerId, modelId] = step.model.split("/");
      return {
        sessionId,
        turnId,
        opencodeId: `msg_${i}`,
        role: step.role ?? "assistant",
        agent: step.agent,
        providerId,
        modelId,
        tokensInput: step.input ?? 0,
        tokensOutput: step.output ?? 0,
        tokensReasoning: step.reasoning ?? 0,
        tokensCacheRead: step.cacheRead ?? 0,
        tokensCacheWrite: step.cacheWrite ?? 0,
        cost: step.cost ?? 0,
        costSource: step.unpriced ? "unknown" : "reported",
        data: {},
        createdAt: new Date(`${step.day}T${step.at ?? "12:00"}:00Z`),
      };
    }),
  });
}
