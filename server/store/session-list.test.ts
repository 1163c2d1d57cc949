import { randomUUID } from "node:crypto";
import { expect, it } from "vitest";
import { describeEachDatabase } from "~/server/testing/database";
import { liveTreeCounts, listRootSessions } from "./session-list";

describeEachDatabase("session list", (database) => {
  const minute = 60_000;
  const base = Date.parse("2026-11-23T10:00:00Z");

  async function seed() {
    const db = database.client;
    const runner = (await db.runner.create({ data: { name: `r-${randomUUID()}`, kind: "remote", url: "" } })).id;
    const other = (await db.runner.create({ data: { name: `r-${randomUUID()}`, kind: "remote", url: "" } })).id;
    const session = async (data: {
      runnerId?: string;
      title: string;
      minutes: number;
      status?: "idle" | "running" | "waiting";
      deleted?: boolean;
      rootId?: string;
      tokensInput?: number;
      cost?: number;
    }) => {
      const row = await db.session.create({
        data: {
          opencodeId: `ses_${randomUUID()}`,
          runnerId: data.runnerId ?? runner,
          directory: "/w",
          title: data.title,
          status: data.status ?? "idle",
          lastActivityAt: new Date(base + data.minutes * minute),
          deletedAt: data.deleted ? new Date(base) : null,
          tokensInput: data.tokensInput ?? 0,
          cost: data.cost ?? 0,
        },
      });
      await db.session.update({ where: { id: row.id }, data: { rootId: data.rootId ?? row.id } });
      if (data.rootId) {
        await db.sessionRelation.create({ data: { parentId: data.rootId, childId: row.id, kind: "subagent" } });
      }
      return row.id;
    };
    return { runner, other, session };
  }

  it("pages through many root sessions newest first, each exactly once", async () => {
    const { runner, session } = await seed();
    const ids: string[] = [];
    for (let i = 0; i < 23; i++) ids.push(await session({ title: `Paged ${i}`, minutes: i }));
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await listRootSessions(database.client, { runnerId: runner, limit: 10, cursor });
      seen.push(...page.items.map((s) => s.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual([...ids].reverse());
  });

  it("filters by status, runner and title, and sums tokens, cost and sub-agents over the tree", async () => {
    const { runner, other, session } = await seed();
    const root = await session({ title: "Refactor the parser", minutes: 100, status: "running", tokensInput: 100, cost: 0.5 });
    const child = await session({ title: "child", minutes: 101, rootId: root, tokensInput: 20, cost: 0.25 });
    await session({ title: "grandchild", minutes: 102, rootId: root, tokensInput: 3 });
    const waiting = await session({ title: "Ask for permission", minutes: 90, status: "waiting" });
    const archived = await session({ title: "Old parser work", minutes: 80, deleted: true });
    const elsewhere = await session({ title: "Parser on another runner", minutes: 70, runnerId: other });

    const onRunner = await listRootSessions(database.client, { runnerId: runner });
    // Sub-agents are not rows of their own: they count in their root's totals.
    // Sessions gone from their runner leave the default list.
    expect(onRunner.items.map((s) => s.id)).toEqual([root, waiting]);
    expect(onRunner.items.map((s) => s.id)).not.toContain(child);
    expect(onRunner.items[0]!.tree).toMatchObject({ tokensInput: 123, cost: 0.75, subagents: 2 });

    const ids = async (input: Parameters<typeof listRootSessions>[1]) =>
      (await listRootSessions(database.client, input)).items.map((s) => s.id);
    expect(await ids({ runnerId: runner, status: "running" })).toEqual([root]);
    expect(await ids({ runnerId: runner, status: "waiting" })).toEqual([waiting]);
    const gone = await listRootSessions(database.client, { runnerId: runner, status: "gone" });
    expect(gone.items.map((s) => [s.id, s.displayStatus])).toEqual([[archived, "gone"]]);
    // Sessions gone from their runner keep their last status but are listed as gone only.
    expect(await ids({ runnerId: runner, status: "idle" })).toEqual([]);
    expect(await ids({ runnerId: runner, search: "PARSER" })).toEqual([root]);
    expect(await ids({ runnerId: runner, search: "PARSER", status: "gone" })).toEqual([archived]);
    expect(await ids({ runnerId: other, search: "parser" })).toEqual([elsewhere]);

    // The Runners page counts what the dashboard lists: trees still on their runner.
    const trees = await liveTreeCounts(database.client);
    expect([trees.get(runner), trees.get(other)]).toEqual([2, 1]);
  });
});
