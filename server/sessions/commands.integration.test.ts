import { afterAll, beforeAll, expect, it } from "vitest";
import { createCaller } from "~/server/api/root";
import { createInnerContext } from "~/server/api/trpc";
import { teamMember } from "~/server/testing/team";
import { marker } from "~/server/model/markers";
import { runnerHasSession } from "~/server/archive/runner-source";
import { createRunnerClient } from "~/server/runtime/client";
import { describeEachDatabase } from "~/server/testing/database";
import { sessionChunks, startLive, waitForIdleTree, waitUntil, type Live } from "~/server/testing/live";

describeEachDatabase("session commands on the real runner", (database) => {
  let live: Live;
  beforeAll(async () => {
    live = await startLive(database.client);
  });
  afterAll(async () => live?.stop());

  const db = () => database.client;
  const newSession = () => live.api.session.create({ runnerId: live.runnerId, directory: live.directory });
  const runner = async () =>
    createRunnerClient((await live.services.runners.link(live.runnerId))!.endpoint, { directory: live.directory });
  /** A new session whose agent asks for a permission, and that request's id the moment a viewer sees it. */
  async function askPermission() {
    const { id } = await newSession();
    const ac = new AbortController();
    const chunks = sessionChunks(live, id, null, ac.signal);
    // The stream is open (its snapshot came) before the prompt: a request asked and stored before
    // it opened would come inside the snapshot, not as the event this waits for.
    await chunks.next();
    const asked = (async () => {
      for await (const { data } of chunks) for (const event of data) if (event.kind === "permission.asked") return event.request.id;
    })();
    await live.api.session.prompt({ sessionId: id, text: marker("permission") });
    const requestId = (await asked)!;
    ac.abort();
    return { id, requestId };
  }
  async function turnDone(id: string, turns: number) {
    await waitUntil(
      async () => (await db().turn.count({ where: { sessionId: id, status: { not: "running" } } })) === turns,
      30_000,
      `turn ${turns} of ${id} to end`,
    );
    await waitForIdleTree(live.services, id);
  }

  it("starts a session with its first prompt in one call: the server sends the prompt, audited as a prompt", async () => {
    const { id } = await live.api.session.create({ runnerId: live.runnerId, directory: live.directory, prompt: { text: `First words. ${marker("text")}` } });
    await turnDone(id, 1);
    const prompt = await db().part.findFirstOrThrow({ where: { sessionId: id, type: "text", text: { contains: "First words." } } });
    expect(prompt.text).toContain(marker("text"));
    const audit = await db().auditEvent.findMany({ where: { sessionId: id }, orderBy: { at: "asc" } });
    expect(audit.map((a) => a.action)).toEqual(["session.create", "session.prompt"]);
    await expect(live.api.session.create({ runnerId: live.runnerId, directory: live.directory, prompt: { text: "  " } })).rejects.toThrow(/The prompt is empty/);
  });

  it("aborts a running turn: the turn is marked aborted and the session goes idle", async () => {
    const { id } = await newSession();
    await live.api.session.prompt({ sessionId: id, text: marker("hang") });
    // Abort once the answer is streaming (opencode itself misbehaves on an abort before that).
    await waitUntil(
      async () =>
        (await db().part.count({ where: { sessionId: id, type: "text", text: { not: "" }, message: { role: "assistant" } } })) > 0,
      20_000,
      "the answer to start streaming",
    );
    await live.api.session.abort({ sessionId: id });
    await waitUntil(
      async () => (await db().turn.findFirst({ where: { sessionId: id } }))?.status === "aborted",
      20_000,
      "the turn to be marked aborted",
    );
    await waitUntil(async () => (await db().session.findUniqueOrThrow({ where: { id } })).status === "idle", 20_000);
  });

  it("forks a session at a turn and records the fork relation", async () => {
    const { id } = await newSession();
    await live.api.session.prompt({ sessionId: id, text: marker("text") });
    await turnDone(id, 1);
    await live.api.session.prompt({ sessionId: id, text: marker("bash") });
    await turnDone(id, 2);
    const second = await db().turn.findFirstOrThrow({ where: { sessionId: id, index: 2 } });

    const fork = await live.api.session.fork({ sessionId: id, messageId: second.userMessageId });
    const relation = await db().sessionRelation.findFirstOrThrow({ where: { childId: fork.id, kind: "fork" } });
    // Forked before turn 2: at the last message of turn 1.
    const first = await db().turn.findFirstOrThrow({ where: { sessionId: id, index: 1 }, include: { messages: { orderBy: { opencodeId: "desc" }, take: 1 } } });
    expect(relation).toMatchObject({ parentId: id, turnId: first.id, messageId: first.messages[0]!.opencodeId });
    const forked = await db().session.findUniqueOrThrow({ where: { id: fork.id } });
    const { data: messages } = await (await runner()).session.messages({ sessionID: forked.opencodeId }, { throwOnError: true });
    // Forked before turn 2: it carries turn 1 only.
    expect(messages.filter((m) => m.info.role === "user")).toHaveLength(1);
  });

  it("deletes a session from the runner but keeps its archive, marked deleted", async () => {
    const { id, opencodeId } = await newSession();
    await live.api.session.prompt({ sessionId: id, text: marker("text") });
    await turnDone(id, 1);
    const parts = await db().part.count({ where: { sessionId: id } });

    await live.api.session.delete({ sessionId: id });
    // Gone from the runner: it answers 404 (false), not some other failure (undefined).
    expect(await runnerHasSession((await live.services.runners.link(live.runnerId))!.endpoint, live.directory, opencodeId)).toBe(false);
    const row = await db().session.findUniqueOrThrow({ where: { id } });
    expect(row.deletedAt).not.toBeNull();
    expect(await db().part.count({ where: { sessionId: id } })).toBe(parts);
    const active = await live.api.session.list({ status: "idle" });
    expect(active.items.map((s) => s.id)).not.toContain(id);
    expect((await live.api.session.list({})).items.map((s) => s.id)).not.toContain(id);
    const gone = await live.api.session.list({ status: "gone" });
    expect(gone.items.map((s) => s.id)).toContain(id);
    await expect(live.api.session.prompt({ sessionId: id, text: "again" })).rejects.toMatchObject({ code: "PRECONDITION_FAILED" });
  });

  it("renames a session on the runner and in the archive; refuses a viewer and a bad title", async () => {
    const { id, opencodeId } = await newSession();
    await live.api.session.rename({ sessionId: id, title: "  Fix the flaky test  " });
    const { data: info } = await (await runner()).session.get({ sessionID: opencodeId }, { throwOnError: true });
    expect(info.title).toBe("Fix the flaky test");
    expect((await db().session.findUniqueOrThrow({ where: { id } })).title).toBe("Fix the flaky test");

    await expect(live.api.session.rename({ sessionId: id, title: "   " })).rejects.toThrow("The title is empty");
    await expect(live.api.session.rename({ sessionId: id, title: "x".repeat(201) })).rejects.toThrow("at most 200 characters");
    const viewer = createCaller(createInnerContext({ caller: await teamMember(db(), "viewer"), services: async () => live.services }));
    await expect(viewer.session.rename({ sessionId: id, title: "Mine now" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(viewer.session.delete({ sessionId: id })).rejects.toMatchObject({ code: "FORBIDDEN" });

    // Deleted from the runner: the archive alone takes the new title.
    await live.api.session.delete({ sessionId: id });
    await live.api.session.rename({ sessionId: id, title: "Kept for the record" });
    expect((await db().session.findUniqueOrThrow({ where: { id } })).title).toBe("Kept for the record");
  });

  it("an abort ends the request its turn asked: nobody is asked any more, and a late answer is refused, even after a reconcile", async () => {
    const { id, requestId } = await askPermission();
    const asking = async () => (await live.api.session.needsYou()).waiting.some((n) => n.sessionId === id);
    await waitUntil(asking, 10_000, "the request to need someone");
    await live.api.session.abort({ sessionId: id });
    await waitUntil(async () => (await db().session.findUniqueOrThrow({ where: { id } })).status === "idle", 30_000, "the session to go idle");
    // opencode still lists the request of the aborted turn, and would take an answer that does nothing.
    const runnerSessionId = (await db().session.findUniqueOrThrow({ where: { id } })).opencodeId;
    expect((await (await runner()).permission.list()).data?.some((p) => p.sessionID === runnerSessionId)).toBe(true);
    const open = async () => (await live.api.session.tail({ sessionId: id }))?.permissions ?? {};
    await waitUntil(async () => Object.keys(await open()).length === 0, 10_000, "the request to close");
    expect(await asking()).toBe(false);
    await expect(live.api.session.replyPermission({ sessionId: id, requestId, reply: "once" })).rejects.toThrow(/No permission request .* is waiting/);
    expect(await live.api.session.answers({ sessionId: id })).toEqual([]);
    // A bridge that reconciles with the runner does not bring it back.
    const bridge = live.services.bridges.find(live.runnerId, live.directory)!;
    await bridge.resync([runnerSessionId]);
    await bridge.stored();
    expect(Object.keys(await open())).toEqual([]);
    expect(await asking()).toBe(false);
  });

  it("takes an answer given the instant a viewer sees the request, before the archive would have written it", async () => {
    const { id, requestId } = await askPermission();
    await live.api.session.replyPermission({ sessionId: id, requestId, reply: "once" });
    await turnDone(id, 1);
    const answers = await live.api.session.answers({ sessionId: id });
    expect(answers).toMatchObject([{ requestId, reply: "once", by: expect.any(String) }]);
  });

  it("takes one answer when two members answer a request at once: the other is told who answered first, and the record stays", async () => {
    const { id, requestId } = await askPermission();
    const as = async (name: string) => createCaller(createInnerContext({ caller: await teamMember(db(), "operator", name), services: async () => live.services }));
    const [rita, otto] = [await as("Rita Reject"), await as("Otto Once")];
    const [r, o] = await Promise.allSettled([
      rita.session.replyPermission({ sessionId: id, requestId, reply: "reject" }),
      otto.session.replyPermission({ sessionId: id, requestId, reply: "once" }),
    ]);
    expect([r.status, o.status].sort()).toEqual(["fulfilled", "rejected"]);
    const [winner, reply, loser] = r.status === "fulfilled" ? ["Rita Reject", "reject", o] : ["Otto Once", "once", r];
    expect((loser as PromiseRejectedResult).reason).toMatchObject({ code: "CONFLICT", message: expect.stringContaining(`${winner} answered it first`) });
    await turnDone(id, 1);
    // The first answer is the one kept, with who gave it (the second's refusal took nothing back).
    expect(await live.api.session.answers({ sessionId: id })).toMatchObject([{ requestId, reply, by: winner }]);
  });
});
