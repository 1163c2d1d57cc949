import { expect, it } from "vitest";
import { ChangeFeed } from "~/server/hub/change-feed";
import { seedFamily } from "~/server/lineage/fixture";
import { describeEachDatabase } from "~/server/testing/database";
import { TraceCache } from "./cache";
import { summaryOf } from "./trace";

describeEachDatabase("trace cache", (database) => {
  it("builds a tree's trace once for every member, and reads it again once the change feed names the tree", async () => {
    const family = await seedFamily(database.client);
    const changes = new ChangeFeed();
    const cache = new TraceCache(database.client);
    changes.watch((rootIds) => cache.forget(rootIds));

    const before = summaryOf(await cache.trace(family.root));
    expect(await cache.trace(family.grandchild)).toBe(await cache.trace(family.root));

    await database.client.message.updateMany({ where: { turnId: family.first.id }, data: { cost: 2 } });
    changes.notify([family.fork]);
    expect(summaryOf(await cache.trace(family.root)).tree.cost).toBe(before.tree.cost);
    changes.notify([family.root]);
    expect(summaryOf(await cache.trace(family.root)).tree.cost).toBeCloseTo(before.tree.cost + 1.9, 10);
  });

  it("names a session that does not exist", async () => {
    await expect(new TraceCache(database.client).trace("00000000-0000-4000-8000-000000000000")).rejects.toThrow(/No session/);
  });
});
