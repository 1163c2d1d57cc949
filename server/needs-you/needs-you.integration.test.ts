import { randomUUID } from "node:crypto";
import { beforeAll, expect, it } from "vitest";
import type { Prisma, PrismaClient } from "~/server/generated/prisma/client";
import { describeEachDatabase } from "~/server/testing/database";
import { ENDED_WITHIN_MS, needsYou } from "./needs-you";

// Seeded rows, both databases: a tree whose sub-agent asks a permission (the root runs on), a
// tree asking a question at its root, one answered request, a deleted tree still marked waiting,
// a run that just failed, one that just finished, and one that ended long ago.
describeEachDatabase("needs you", (database) => {
  const ids = { runner: "", asking: "", child: "", questioning: "", failed: "", finished: "" };
  const now = new Date("2026-12-03T12:00:00Z");

  beforeAll(async () => {
    const db = database.client;
    ids.runner = (await db.runner.create({ data: { name: "alpha", kind: "remote", url: "http://alpha.test" } })).id;
    const tree = (title: string, data: Partial<Prisma.SessionUncheckedCreateInput> = {}) => session(db, ids.runner, { title, ...data });
    ids.asking = await tree("Fix the build", { status: "running" });
    ids.child = await tree("run the tests (@general subagent)", { rootId: ids.asking, status: "waiting" });
    await db.sessionRelation.create({ data: { parentId: ids.asking, childId: ids.child, kind: "subagent" } });
    await snapshot(db, ids.child, [
      { type: "permission", id: "per_1", permission: "bash", patterns: ["npm test"], always: ["npm *"], metadata: { command: "npm test" } },
      // Answered (server/store/request-answers.ts): not pending.
      { type: "answer", id: "answer:per_0", requestId: "per_0", kind: "permission", reply: "once", by: "Ada", at: now.toISOString() },
    ]);
    await db.waitSpan.create({ data: { sessionId: ids.child, kind: "permission", key: "per_1", title: "bash", startedAt: new Date("2026-12-03T11:58:00Z") } });
    ids.questioning = await tree("Choose a name", { status: "waiting" });
    await snapshot(db, ids.questioning, [{ type: "question", id: "que_1", questions: [{ question: "Which name?", header: "Name", options: [{ label: "a", description: "" }] }] }]);
    const gone = await tree("Deleted while waiting", { status: "waiting", deletedAt: now });
    await snapshot(db, gone, [{ type: "permission", id: "per_gone", permission: "bash", patterns: [], always: [], metadata: {} }]);
    ids.failed = await tree("Failed run", { status: "error", lastActivityAt: new Date(now.getTime() - 60_000) });
    ids.finished = await tree("Finished run", { status: "idle", lastActivityAt: new Date(now.getTime() - 120_000) });
    await tree("Finished long ago", { status: "idle", lastActivityAt: new Date(now.getTime() - ENDED_WITHIN_MS - 1) });
  });

  it("lists every request waiting in a tree that is not deleted, sub-agents included, with the session to answer", async () => {
    const { waiting } = await needsYou(database.client, now);
    expect(waiting.map((w) => [w.request.id, w.sessionId, w.rootId, w.rootTitle, w.runnerName])).toEqual(
      expect.arrayContaining([
        ["per_1", ids.child, ids.asking, "Fix the build", "alpha"],
        ["que_1", ids.questioning, ids.questioning, "Choose a name", "alpha"],
      ]),
    );
    expect(waiting).toHaveLength(2);
    const permission = waiting.find((w) => w.request.id === "per_1")!;
    expect(permission.sessionTitle).toBe("run the tests (@general subagent)");
    expect(permission.since).toEqual(new Date("2026-12-03T11:58:00Z"));
    expect(permission.request).toMatchObject({ type: "permission", metadata: { command: "npm test" } });
    // Oldest first; a request without a wait span (not timed) comes before the timed ones.
    expect(waiting.map((w) => w.request.id)).toEqual(["que_1", "per_1"]);
  });

  it("names the trees that run and those that ended in the last minutes, by how they ended", async () => {
    const { running, ended } = await needsYou(database.client, now);
    // Roots only: the waiting sub-agent is part of "Fix the build".
    expect(running.map((r) => r.title).sort()).toEqual(["Choose a name", "Fix the build"]);
    expect(ended.map((r) => [r.title, r.status]).sort()).toEqual([
      ["Failed run", "error"],
      ["Finished run", "idle"],
    ]);
  });
});

async function session(db: PrismaClient, runnerId: string, data: Partial<Prisma.SessionUncheckedCreateInput> & { title: string }) {
  const { id } = await db.session.create({ data: { opencodeId: `ses_${randomUUID()}`, directory: "/w", runnerId, ...data } });
  if (!data.rootId) await db.session.update({ where: { id }, data: { rootId: id } });
  return id;
}

async function snapshot(db: PrismaClient, sessionId: string, requests: unknown[]) {
  await db.sessionBoundary.create({ data: { sessionId, seq: 1, status: "waiting", usage: {}, todos: [], requests: requests as Prisma.InputJsonValue } });
}
