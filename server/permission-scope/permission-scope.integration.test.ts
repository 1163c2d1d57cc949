import { afterAll, beforeAll, expect, it } from "vitest";
import { marker } from "~/server/model/markers";
import { PERMISSION_COMMAND } from "~/server/model";
import { createRunnerClient } from "~/server/runtime/client";
import { describeEachDatabase } from "~/server/testing/database";
import { sessionEvents, startLive, waitForIdleTree, waitUntil, type Live } from "~/server/testing/live";

// The real runner with the Demo model: demo:permission runs a bash command the runner config
// makes opencode ask for (server/runtime/opencode-config.ts).
describeEachDatabase("permission scope on the real runner", (database) => {
  let live: Live;
  beforeAll(async () => {
    live = await startLive(database.client);
  });
  afterAll(async () => live?.stop());

  const db = () => database.client;
  const newSession = (title: string) => live.api.session.create({ runnerId: live.runnerId, directory: live.directory, title });
  async function turnDone(id: string) {
    await waitUntil(async () => (await db().turn.count({ where: { sessionId: id, status: { not: "running" } } })) === 1, 30_000, `the turn of ${id} to end`);
    await waitForIdleTree(live.services, id);
  }
  /** Prompts demo:permission and resolves with the request id once the runner asks. */
  async function ask(id: string): Promise<string> {
    const ac = new AbortController();
    const asked = (async () => {
      for await (const event of sessionEvents(live, id, null, ac.signal)) if (event.kind === "permission.asked") return event.request.id;
    })();
    await live.api.session.prompt({ sessionId: id, text: marker("permission") });
    const requestId = await asked;
    ac.abort();
    return requestId!;
  }

  // Runs first: once "always" is given, the runner no longer asks in this directory.
  it("refuses an 'always' reply while an admin has switched it off, and takes 'once'", async () => {
    await live.api.runner.setAlwaysAllow({ runnerId: live.runnerId, enabled: false });
    const { id } = await newSession("Switched off");
    expect(await live.api.session.permissionScope({ sessionId: id })).toMatchObject({ alwaysAllow: false, directory: live.directory });
    const requestId = await ask(id);
    await expect(live.api.session.replyPermission({ sessionId: id, requestId, reply: "always" })).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
      message: expect.stringContaining("switched \"Always allow\" off"),
    });
    // Refused before the runner heard anything: no answer recorded, the request still waits.
    expect(await live.api.session.answers({ sessionId: id })).toEqual([]);
    await live.api.session.replyPermission({ sessionId: id, requestId, reply: "once" });
    await turnDone(id);
    expect(await live.api.runner.rememberedRules({ runnerId: live.runnerId })).toEqual([]);
    await live.api.runner.setAlwaysAllow({ runnerId: live.runnerId, enabled: true });
  });

  it("lists the rule an 'always' reply leaves and shows the other session's call it approved", async () => {
    const first = await newSession("Granted always");
    const requestId = await ask(first.id);
    await live.api.session.replyPermission({ sessionId: first.id, requestId, reply: "always" });
    await turnDone(first.id);

    const rules = await live.api.runner.rememberedRules({ runnerId: live.runnerId });
    expect(rules).toMatchObject([{ permission: "bash", directory: live.directory, session: { id: first.id, title: "Granted always" } }]);
    expect(rules[0]!.patterns.length).toBeGreaterThan(0);
    // The asking call itself was asked: nothing to mark there.
    expect(await live.api.session.autoApprovals({ sessionId: first.id })).toEqual([]);

    // A second session of the same directory: opencode runs the command without asking.
    const second = await newSession("Approved by the rule");
    await live.api.session.prompt({ sessionId: second.id, text: marker("permission") });
    await turnDone(second.id);
    expect(await db().waitSpan.count({ where: { sessionId: second.id, kind: "permission" } })).toBe(0);
    const approvals = await live.api.session.autoApprovals({ sessionId: second.id });
    expect(approvals).toMatchObject([{ permission: "bash", pattern: PERMISSION_COMMAND, rule: { session: { id: first.id }, patterns: rules[0]!.patterns } }]);

    // opencode's v1 reply keeps the rule in memory only: its v2 "saved permissions" store stays empty.
    const link = (await live.services.runners.link(live.runnerId))!;
    const saved = await createRunnerClient(link.endpoint, { directory: live.directory }).v2.permission.saved.list(undefined, { throwOnError: true });
    expect(saved.data.data).toEqual([]);
  });
});
