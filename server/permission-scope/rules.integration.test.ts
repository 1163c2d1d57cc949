import { randomUUID } from "node:crypto";
import { beforeAll, expect, it } from "vitest";
import type { Prisma } from "~/server/generated/prisma/client";
import { describeEachDatabase } from "~/server/testing/database";
import { rememberedRules } from "./rules";

// Seeded answers (server/store/request-answers.ts) on a runner now in its instance "now": one
// "always" given to it, one given before a restart, one "once", and one in another directory.
describeEachDatabase("remembered rules", (database) => {
  let runnerId = "";
  const sessions = { here: "", there: "" };
  const asked = (always: string[]) => ({ type: "permission", id: "per", permission: "bash", patterns: ["npm test"], always, metadata: {} });
  const answer = (id: string, reply: string, runnerInstanceId: string | undefined, at: string) => ({
    type: "answer", id: `answer:${id}`, requestId: id, kind: "permission", reply, by: "Ada", at, request: asked(["npm *"]), runnerInstanceId,
  });

  beforeAll(async () => {
    const db = database.client;
    runnerId = (await db.runner.create({ data: { name: `r-${randomUUID()}`, kind: "embedded", url: "http://r.test", instanceId: "now" } })).id;
    const session = async (directory: string, requests: unknown[]) => {
      const { id } = await db.session.create({ data: { opencodeId: `ses_${randomUUID()}`, directory, runnerId, title: directory } });
      await db.sessionBoundary.create({ data: { sessionId: id, seq: 1, status: "idle", usage: {}, todos: [], requests: requests as Prisma.InputJsonValue } });
      return id;
    };
    sessions.here = await session("/here", [
      answer("per_before", "always", "before", "2026-12-03T10:00:00Z"),
      answer("per_now", "always", "now", "2026-12-03T11:00:00Z"),
      answer("per_once", "once", "now", "2026-12-03T11:30:00Z"),
    ]);
    sessions.there = await session("/there", [answer("per_there", "always", "now", "2026-12-03T12:00:00Z")]);
  });

  it("lists the 'always' replies the runner's current process was given, oldest first", async () => {
    const rules = await rememberedRules(database.client, runnerId);
    expect(rules.map((r) => [r.id, r.directory, r.patterns, r.session.id])).toEqual([
      ["answer:per_now", "/here", ["npm *"], sessions.here],
      ["answer:per_there", "/there", ["npm *"], sessions.there],
    ]);
  });

  it("keeps to one directory, and takes earlier processes' replies when asked to", async () => {
    expect((await rememberedRules(database.client, runnerId, { directory: "/here" })).map((r) => r.id)).toEqual(["answer:per_now"]);
    expect((await rememberedRules(database.client, runnerId, { directory: "/here", anyInstance: true })).map((r) => r.id)).toEqual([
      "answer:per_before",
      "answer:per_now",
    ]);
  });
});
