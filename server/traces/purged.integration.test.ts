import { expect, it } from "vitest";
import { describeEachDatabase } from "~/server/testing/database";
import { seedTraceTree } from "./testing";
import { TraceCache } from "./cache";
import { treeTrace } from "./trace";

// A purged tree keeps its session rows (the record of what was there) but no content: its trace
// says it was purged, as its page does, rather than reading as an empty run.

describeEachDatabase("the trace of a purged tree", (database) => {
  it("is refused as purged, from the root and from a sub-agent", async () => {
    const db = database.client;
    const seeded = await seedTraceTree(db, { spans: 40 });
    expect((await treeTrace(db, seeded.rootSessionId)).spans.length).toBeGreaterThan(0);
    await db.session.update({ where: { id: seeded.rootSessionId }, data: { purgedAt: new Date("2026-12-01T00:00:00Z") } });
    for (const id of [seeded.rootSessionId, seeded.sessionIds.at(-1)!]) {
      await expect(treeTrace(db, id)).rejects.toMatchObject({ kind: "purged", message: `The archive of session ${id} was purged on 2026-12-01.` });
      await expect(new TraceCache(db).trace(id)).rejects.toMatchObject({ kind: "purged" });
    }
  });
});
