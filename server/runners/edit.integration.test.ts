import { randomBytes, randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { marker } from "~/server/model/markers";
import { startEmbeddedRunner, type EmbeddedRunner } from "~/server/runtime/embedded";
import { describeEachDatabase } from "~/server/testing/database";
import { startLive, waitForIdleTree, waitUntil, type Live } from "~/server/testing/live";
import { startPrefixProxy } from "~/server/testing/prefix-proxy";

describeEachDatabase("changing a remote runner", (database) => {
  let live: Live;
  let remote: EmbeddedRunner;
  // Two addresses of one opencode server: where it was, and where it moved.
  let before: Awaited<ReturnType<typeof startPrefixProxy>>;
  let after: Awaited<ReturnType<typeof startPrefixProxy>>;
  const remoteDir = fs.mkdtempSync(path.join(os.tmpdir(), "flightdeck-remote-"));
  beforeAll(async () => {
    [live, remote] = await Promise.all([startLive(database.client), startEmbeddedRunner({ dataDir: remoteDir, deltaDelayMs: 0 })]);
    [before, after] = await Promise.all([startPrefixProxy(remote.supervisor.instance!.url, "/old"), startPrefixProxy(remote.supervisor.instance!.url, "/new")]);
  });
  afterAll(async () => {
    await Promise.all([live?.stop(), remote?.stop(), before?.close(), after?.close()]);
    fs.rmSync(remoteDir, { recursive: true, force: true });
  });

  const listed = async (id: string) => (await live.api.runner.list()).find((r) => r.id === id)!;
  /** Prompts, and waits for the turn's answer to be archived (through the runner's events). */
  const answered = async (sessionId: string, index: number) => {
    await live.api.session.prompt({ sessionId, text: marker("text") });
    const ended = () => database.client.turn.findFirst({ where: { sessionId, index, endedAt: { not: null } }, select: { status: true } });
    await waitUntil(async () => Boolean(await ended()), 60_000, `turn ${index} of ${sessionId} to end`);
    await waitForIdleTree(live.services, sessionId);
    expect(await ended()).toEqual({ status: "completed" });
  };

  it("fixes a runner that moved and whose stored password can no longer be read, in place: its session runs again", async () => {
    const { username, password } = remote.supervisor.credentials;
    const name = `moving-${randomUUID()}`;
    const { id } = await live.api.runner.addRemote({ name, url: before.url, username, password });
    const session = await live.api.session.create({ runnerId: id, directory: remote.supervisor.directory });
    await answered(session.id, 1);

    // The key its password was sealed with is gone (FLIGHTDECK_SECRET changed), and the runner moved.
    await database.client.runner.update({ where: { id }, data: { password: `enc:v1:${randomBytes(48).toString("base64url")}` } });
    await before.close();
    await live.services.runners.pollRemotes();
    expect(await listed(id)).toMatchObject({ status: "unhealthy", lastError: expect.stringMatching(/cannot be decrypted/) });

    // Refused, each saying why, and nothing changes meanwhile.
    const newUrl = after.url.replace(/\/$/, "");
    await expect(live.api.runner.updateRemote({ runnerId: id, name, url: after.url })).rejects.toThrow(/cannot be decrypted.*Enter the runner's password again/);
    await expect(live.api.runner.updateRemote({ runnerId: id, name, url: after.url, password: "wrong" })).rejects.toThrow(
      /The runner at .*\/new cannot be reached with these settings: it refused the username and password \(HTTP 401\); check its OPENCODE_SERVER_PASSWORD\. Nothing was changed\./,
    );
    await expect(live.api.runner.updateRemote({ runnerId: id, name: "embedded", url: after.url, password })).rejects.toThrow("A runner with this name already exists.");
    await expect(live.api.runner.updateRemote({ runnerId: live.runnerId, name: "embedded", url: after.url })).rejects.toThrow(/The embedded runner is started by Flightdeck/);
    expect(await listed(id)).toMatchObject({ name, url: before.url.replace(/\/$/, ""), status: "unhealthy" });

    await live.api.runner.updateRemote({ runnerId: id, name: `${name}-moved`, url: after.url, password });
    const fixed = await listed(id);
    expect(fixed).toMatchObject({ name: `${name}-moved`, url: newUrl, status: "healthy", lastError: null, version: remote.supervisor.instance!.version });
    expect(JSON.stringify(fixed)).not.toContain(password);
    // The same session, on the same runner row: its bridge follows the new address.
    await answered(session.id, 2);
    expect(after.paths).toEqual(expect.arrayContaining([expect.stringMatching(/^\/event\?directory=/)]));

    const audit = await database.client.auditEvent.findFirst({ where: { action: "runner.update" }, orderBy: { at: "desc" } });
    expect(audit?.detail).toMatchObject({ name: `${name}-moved` });
    expect(JSON.stringify(audit)).not.toContain(password);
  });

  it("removes a remote runner that holds no session; one with sessions, and the embedded one, stay and say why", async () => {
    const { username, password } = remote.supervisor.credentials;
    const name = `mistake-${randomUUID()}`;
    const { id } = await live.api.runner.addRemote({ name, url: after.url, username, password });
    const used = await live.api.runner.addRemote({ name: `used-${randomUUID()}`, url: after.url, username, password });
    // (Its bridge may also archive the other test's session: the same opencode server, under two names.)
    await live.api.session.create({ runnerId: used.id, directory: remote.supervisor.directory });

    await expect(live.api.runner.remove({ runnerId: used.id })).rejects.toThrow(/holds (a session|\d+ sessions) \(the archive keeps them on it\), so it is not removed/);
    await expect(live.api.runner.remove({ runnerId: live.runnerId })).rejects.toThrow(/The embedded runner is started by Flightdeck/);
    await live.api.runner.remove({ runnerId: id });
    const left = (await live.api.runner.list()).map((r) => r.id);
    expect(left).not.toContain(id);
    expect(left).toEqual(expect.arrayContaining([used.id, live.runnerId]));
    await expect(live.api.runner.remove({ runnerId: id })).rejects.toThrow("No such runner.");
    expect(await database.client.auditEvent.findFirst({ where: { action: "runner.remove", target: name } })).toBeTruthy();
  });
});
