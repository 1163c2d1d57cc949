import { randomUUID } from "node:crypto";
import { expect, it } from "vitest";
import { describeEachDatabase } from "~/server/testing/database";
import { listShareLinks } from "./links";

// The team's list of share links says what became of each: a link to a tree that was purged
// since reads as such, not as a revoked link to an untitled session.

describeEachDatabase("the share links list", (database) => {
  it("names a link whose tree was purged as purged", async () => {
    const db = database.client;
    const runner = await db.runner.create({ data: { name: `links-${randomUUID()}`, kind: "remote", url: "", status: "stopped" } });
    const session = await db.session.create({ data: { opencodeId: `ses_${randomUUID()}`, runnerId: runner.id, directory: "/w", title: "Kept" } });
    const link = await db.shareLink.create({ data: { sessionId: session.id, tokenHash: randomUUID() } });
    const stateOf = async () => (await listShareLinks(db, { sessionId: session.id })).find((l) => l.id === link.id)!.state;
    expect(await stateOf()).toBe("active");
    // What a purge leaves: the row, without its title, and its links revoked.
    await db.session.update({ where: { id: session.id }, data: { purgedAt: new Date(), title: "" } });
    await db.shareLink.update({ where: { id: link.id }, data: { revokedAt: new Date() } });
    expect(await stateOf()).toBe("purged");
  });
});
