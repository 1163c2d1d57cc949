import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import { createCaller } from "~/server/api/root";
import { createInnerContext } from "~/server/api/trpc";
import { marker } from "~/server/model/markers";
import { startEmbeddedRunner, type EmbeddedRunner } from "~/server/runtime/embedded";
import { createServices, type Services } from "~/server/services";
import { RUNNER_RESTARTED } from "~/server/store/apply-events";
import { describeEachDatabase } from "~/server/testing/database";
import { waitUntil } from "~/server/testing/live";
import { teamMember } from "~/server/testing/team";

// The app stops with a turn open on its embedded runner and starts again on the same data dir:
// the new runner process never ran that turn. The session must say so at once, not read as
// running until somebody opens its page (the page's stream used to be what found out).
describeEachDatabase("an app restart with a turn open on the embedded runner", (database) => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "flightdeck-app-restart-"));
  let services: Services | undefined;
  const start = async () => {
    services = await createServices({ db: database.client, dataDir, embeddedRunner: true, deltaDelayMs: 0, stallMs: 600_000 });
    return createCaller(createInnerContext({ caller: await teamMember(database.client, "admin"), services: async () => services! }));
  };
  let remote: EmbeddedRunner | undefined;
  afterAll(async () => {
    await services?.stop();
    await remote?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("marks the interrupted turn at start, with no viewer", { timeout: 120_000 }, async () => {
    const api = await start();
    const row = (id: string) => database.client.session.findUniqueOrThrow({ where: { id }, select: { status: true, statusReason: true } });
    const { id } = await api.session.create({ runnerId: services!.runners.embeddedRunnerId!, directory: services!.embedded!.supervisor.directory });
    await api.session.prompt({ sessionId: id, text: `Wait. ${marker("hang")}` });
    const answered = () => database.client.part.count({ where: { sessionId: id, text: { contains: "going silent" } } });
    await waitUntil(async () => (await answered()) > 0, 30_000, "the turn to start answering");
    await services!.stop();
    expect((await row(id)).status).toBe("running");

    await start();
    await waitUntil(async () => (await row(id)).status === "error", 20_000, "the session to say its turn was interrupted");
    expect(await row(id)).toMatchObject({ status: "error", statusReason: expect.stringContaining(RUNNER_RESTARTED.message) });
    // What the turn streamed before is kept.
    expect(await answered()).toBeGreaterThan(0);
  });

  it("follows a remote runner's open turn from the start: one that ended while the app was down reads as ended, with no viewer", { timeout: 120_000 }, async () => {
    await services?.stop();
    remote = await startEmbeddedRunner({ dataDir: path.join(dataDir, "remote"), deltaDelayMs: 10 });
    const api = await start();
    const { username, password } = remote.supervisor.credentials;
    const runner = await api.runner.addRemote({ name: `remote-${Date.now()}`, url: remote.supervisor.instance!.url, username, password });
    const row = (id: string) => database.client.session.findUniqueOrThrow({ where: { id }, select: { status: true } });
    const { id } = await api.session.create({ runnerId: runner.id, directory: remote.supervisor.directory });
    await api.session.prompt({ sessionId: id, text: `Count. ${marker("long", 300)}` });
    await waitUntil(async () => (await row(id)).status === "running", 30_000, "the turn to start");
    await services!.stop();
    services = undefined;
    // The runner finishes the turn while the app is down (300 words, 10 ms apart).
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    expect((await row(id)).status).toBe("running");

    await start();
    await waitUntil(async () => (await row(id)).status === "idle", 30_000, "the session to read as idle");
    const text = await database.client.part.findMany({ where: { sessionId: id, type: "text" }, select: { text: true } });
    expect(text.some((p) => p.text?.includes("300"))).toBe(true);
  });
});
