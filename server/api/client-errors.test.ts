import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createCaller } from "~/server/api/root";
import { createInnerContext } from "~/server/api/trpc";
import { createServices, type Services } from "~/server/services";
import { describeEachDatabase } from "~/server/testing/database";
import { notOpencodeServer } from "~/server/testing/not-opencode";
import { teamMember } from "~/server/testing/team";

// Mistakes a client makes answer 4xx with a message naming what was wrong, never a 500 with
// Prisma's or the runner's internals.

let webServer: Awaited<ReturnType<typeof notOpencodeServer>>;
let webUrl: string;
beforeAll(async () => {
  webServer = await notOpencodeServer();
  webUrl = webServer.url;
});
afterAll(() => webServer.close());

describeEachDatabase("client mistakes", (database) => {
  let services: Services;
  let api: ReturnType<typeof createCaller>;
  let sessionId: string;
  let purgedId: string;
  const unknown = randomUUID();

  beforeAll(async () => {
    services = await createServices({ db: database.client, embeddedRunner: false, archive: { idleMs: 0, sweepMs: 0, retention: { everyMs: 0 } } });
    api = createCaller(createInnerContext({ caller: await teamMember(database.client, "admin"), services: async () => services }));
    const runner = await database.client.runner.create({ data: { name: `r-${randomUUID()}`, kind: "remote", url: webUrl } });
    const session = (purgedAt?: Date) =>
      database.client.session.create({ data: { opencodeId: `ses_${randomUUID()}`, runnerId: runner.id, directory: "/w", purgedAt } });
    sessionId = (await session()).id;
    purgedId = (await session(new Date("2026-11-01"))).id;
  });
  afterAll(() => services?.stop());

  const failure = (call: Promise<unknown>) => call.then(() => "succeeded", (e: { code?: string; message?: string }) => ({ code: e.code, message: e.message }));

  it("archive.sync names a malformed, an unknown and a purged id", async () => {
    expect(await failure(api.archive.sync({ sessionId: "nope" }))).toEqual({ code: "BAD_REQUEST", message: expect.stringContaining("is not a session id") });
    expect(await failure(api.archive.sync({ sessionId: unknown }))).toEqual({ code: "NOT_FOUND", message: `No session ${unknown}.` });
    expect(await failure(api.archive.sync({ sessionId: purgedId }))).toEqual({ code: "NOT_FOUND", message: expect.stringContaining("was purged") });
  });

  it("a malformed row id is a 400 naming which id it was", async () => {
    const malformed = [
      [api.runner.options({ runnerId: "nope" }), "Runner ids are UUIDs"],
      [api.share.revoke({ linkId: "nope" }), "Share link ids are UUIDs"],
      [api.team.audit({ cursor: "nope" }), "Audit entry ids are UUIDs"],
      [api.session.list({ cursor: "nope" }), "Session ids are UUIDs"],
    ] as const;
    for (const [call, message] of malformed) expect(await failure(call)).toEqual({ code: "BAD_REQUEST", message: expect.stringContaining(message) });
  });

  it("retention for an unknown runner is a 404", async () => {
    expect(await failure(api.archive.setRunnerRetention({ runnerId: unknown, days: 3 }))).toEqual({ code: "NOT_FOUND", message: "No such runner." });
  });

  it("revert, fork and permission replies with ids the session does not have are 404s naming them", async () => {
    expect(await failure(api.session.revert({ sessionId, messageId: "msg_nope" }))).toEqual({ code: "NOT_FOUND", message: "No message msg_nope in this session." });
    expect(await failure(api.session.fork({ sessionId, messageId: "msg_nope" }))).toEqual({ code: "NOT_FOUND", message: "No message msg_nope in this session." });
    expect(await failure(api.session.replyPermission({ sessionId, requestId: "per_nope", reply: "once" }))).toEqual({
      code: "NOT_FOUND",
      message: "No permission request per_nope is waiting in this session.",
    });
  });

  it("a runner that fails a command is a 412 naming the runner, not a 500", async () => {
    expect(await failure(api.session.abort({ sessionId }))).toEqual({
      code: "PRECONDITION_FAILED",
      message: expect.stringContaining(`The runner at ${webUrl} could not abort the session: Request is not supported`),
    });
  });

  it("a duplicate runner name is a 409 naming the field", async () => {
    const name = `dup-${randomUUID()}`;
    await api.runner.addRemote({ name, url: webUrl });
    expect(await failure(api.runner.addRemote({ name, url: webUrl }))).toEqual({ code: "CONFLICT", message: "A runner with this name already exists." });
  });

  it("options of a runner that is not an opencode server say so", async () => {
    const { id } = await api.runner.addRemote({ name: `web-${randomUUID()}`, url: webUrl });
    expect(await failure(api.runner.options({ runnerId: id }))).toEqual({
      code: "PRECONDITION_FAILED",
      message: expect.stringContaining(`The runner at ${webUrl} did not answer as an opencode server`),
    });
  });
});
