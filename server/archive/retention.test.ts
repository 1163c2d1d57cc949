import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { describeEachDatabase } from "~/server/testing/database";
import { decideRetention, runRetention, type RetentionCandidate } from "./retention";
import { syncTree } from "./sync";
import { MemorySource, sourceTreeFromRows, subagentRunRows, SUBAGENT_RUN_ROOT } from "./testing";

const DAY = 24 * 60 * 60 * 1000;
const now = new Date("2026-11-23T12:00:00Z");
const ago = (days: number) => new Date(now.getTime() - days * DAY);

describe("decideRetention", () => {
  const candidate = (over: Partial<RetentionCandidate> = {}): RetentionCandidate => ({
    id: "s",
    lastActivityAt: ago(40),
    deletedAt: ago(35),
    runner: { retentionDays: null, status: "healthy" },
    activeShares: 0,
    ...over,
  });

  it("purges deleted or runtime-less archives older than the policy, and nothing else", () => {
    expect(decideRetention(candidate(), { days: 30 }, now).purge).toBe(true);
    expect(decideRetention(candidate(), { days: 0 }, now)).toMatchObject({ purge: false, reason: "kept forever by policy" });
    expect(decideRetention(candidate(), {}, now).purge).toBe(false);
    expect(decideRetention(candidate({ deletedAt: ago(10) }), { days: 30 }, now)).toMatchObject({ purge: false, reason: "younger than 30 days" });
    expect(decideRetention(candidate({ deletedAt: null }), { days: 30 }, now)).toMatchObject({ purge: false, reason: "still live on its runner" });
    expect(decideRetention(candidate({ deletedAt: null, runner: { retentionDays: null, status: "stopped" } }), { days: 30 }, now).purge).toBe(true);
  });

  it("lets a runner's own policy override the global one", () => {
    expect(decideRetention(candidate({ runner: { retentionDays: 60, status: "healthy" } }), { days: 30 }, now).purge).toBe(false);
    expect(decideRetention(candidate({ runner: { retentionDays: 7, status: "healthy" } }), {}, now).purge).toBe(true);
    expect(decideRetention(candidate({ runner: { retentionDays: 0, status: "healthy" } }), { days: 1 }, now).purge).toBe(false);
  });

  it("keeps trees with an active share link unless the policy says otherwise", () => {
    expect(decideRetention(candidate({ activeShares: 1 }), { days: 30 }, now)).toMatchObject({ purge: false, reason: "has an active share link" });
    expect(decideRetention(candidate({ activeShares: 1 }), { days: 30, purgeShared: true }, now).purge).toBe(true);
  });
});

describeEachDatabase("retention job", (database) => {
  it("purges only what it should", async () => {
    const db = database.client;
    const runner = async (status: "healthy" | "stopped", retentionDays: number | null = null) =>
      (await db.runner.create({ data: { name: `r-${randomUUID()}`, kind: "remote", url: "", status, retentionDays } })).id;
    const tree = async (runnerId: string, lastActivityAt: Date, deletedAt: Date | null) => {
      const { rootId } = await syncTree(db, new MemorySource(sourceTreeFromRows(subagentRunRows(), SUBAGENT_RUN_ROOT)), {
        runnerId,
        rootOpencodeId: SUBAGENT_RUN_ROOT,
      });
      await db.session.updateMany({ where: { rootId }, data: { lastActivityAt, deletedAt } });
      return rootId;
    };
    const live = await runner("healthy");
    const gone = await runner("stopped");
    const shortLived = await runner("healthy", 3);

    const oldDeleted = await tree(live, ago(60), ago(45));
    const recentlyDeleted = await tree(await runner("healthy"), ago(60), ago(5));
    const oldButLive = await tree(await runner("healthy"), ago(90), null);
    const oldImported = await tree(gone, ago(100), null);
    const sharedDeleted = await tree(await runner("healthy"), ago(60), ago(40));
    const runnerPolicy = await tree(shortLived, ago(5), ago(4));
    await db.shareLink.create({ data: { sessionId: sharedDeleted, tokenHash: randomUUID() } });
    // A revoked or expired link does not keep anything.
    await db.shareLink.create({ data: { sessionId: oldDeleted, tokenHash: randomUUID(), revokedAt: ago(50) } });
    await db.shareLink.create({ data: { sessionId: oldImported, tokenHash: randomUUID(), expiresAt: ago(1) } });

    const report = await runRetention(db, { days: 30 }, now);
    expect(new Set(report.purged)).toEqual(new Set([oldDeleted, oldImported, runnerPolicy]));
    const kept = Object.fromEntries(report.kept.map((k) => [k.id, k.reason]));
    expect(kept[sharedDeleted]).toBe("has an active share link");
    expect(kept[recentlyDeleted]).toBe("younger than 30 days");
    expect(kept[oldButLive]).toBeUndefined(); // live on a serving runner: not even a candidate

    for (const id of [oldDeleted, oldImported, runnerPolicy]) {
      const rows = await db.session.findMany({ where: { rootId: id } });
      expect(rows).toHaveLength(3);
      expect(rows.every((r) => r.purgedAt && r.deletedAt && r.title === "")).toBe(true);
      expect(await db.message.count({ where: { session: { rootId: id } } })).toBe(0);
      expect(await db.turn.count({ where: { session: { rootId: id } } })).toBe(0);
    }
    for (const id of [recentlyDeleted, oldButLive, sharedDeleted]) {
      expect(await db.message.count({ where: { session: { rootId: id } } })).toBe(9);
      expect((await db.session.findUniqueOrThrow({ where: { id } })).purgedAt).toBeNull();
    }
    // Idempotent: a second run finds nothing more to purge.
    expect((await runRetention(db, { days: 30 }, now)).purged).toEqual([]);
    // Saying so purges the shared one too.
    expect((await runRetention(db, { days: 30, purgeShared: true }, now)).purged).toEqual([sharedDeleted]);
  });
});
