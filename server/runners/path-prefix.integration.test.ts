import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { marker } from "~/server/model/markers";
import { startEmbeddedRunner, type EmbeddedRunner } from "~/server/runtime/embedded";
import { describeEachDatabase } from "~/server/testing/database";
import { sessionEvents, startLive, type Live } from "~/server/testing/live";
import { startPrefixProxy } from "~/server/testing/prefix-proxy";

describeEachDatabase("a remote runner behind a path-prefixed reverse proxy", (database) => {
  let live: Live;
  let remote: EmbeddedRunner;
  let proxy: Awaited<ReturnType<typeof startPrefixProxy>>;
  const remoteDir = fs.mkdtempSync(path.join(os.tmpdir(), "flightdeck-proxied-"));
  beforeAll(async () => {
    [live, remote] = await Promise.all([startLive(database.client), startEmbeddedRunner({ dataDir: remoteDir, deltaDelayMs: 0 })]);
    proxy = await startPrefixProxy(remote.supervisor.instance!.url, "/opencode");
  });
  afterAll(async () => {
    await proxy?.close();
    await Promise.all([live?.stop(), remote?.stop()]);
    fs.rmSync(remoteDir, { recursive: true, force: true });
  });

  it("is healthy with its version, and a session's events stream through the prefix", async () => {
    const { username, password } = remote.supervisor.credentials;
    const { id } = await live.api.runner.addRemote({ name: `proxied-${database.target}`, url: proxy.url, username, password });
    const listed = (await live.api.runner.list()).find((r) => r.id === id);
    expect(listed).toMatchObject({ status: "healthy", version: remote.supervisor.instance!.version, url: proxy.url.replace(/\/$/, "") });
    expect(JSON.stringify(listed)).not.toContain(password);

    // The password is stored sealed, and the sealed value is what the runner is reached with.
    const row = await database.client.runner.findUniqueOrThrow({ where: { id } });
    expect(row.password).toMatch(/^enc:v1:/);
    expect(row.password).not.toContain(password);

    const session = await live.api.session.create({ runnerId: id, directory: remote.supervisor.directory });
    const abort = new AbortController();
    const streamed = (async () => {
      let text = "";
      for await (const event of sessionEvents(live, session.id, null, abort.signal)) {
        if (event.kind === "part.delta") text += event.delta;
        if (event.kind === "session.status" && event.status === "idle" && text) return text;
      }
      return text;
    })();
    await live.api.session.prompt({ sessionId: session.id, text: marker("text") });
    const text = await Promise.race([streamed, new Promise<never>((_, reject) => setTimeout(() => reject(new Error("no idle after the text streamed")), 60_000))]);
    abort.abort();
    expect(text).toContain("This is the Demo model streaming plain text.");
    expect(proxy.paths).toEqual(expect.arrayContaining(["/global/health", expect.stringMatching(/^\/event\?directory=/)]));
  });

  it("a password stored in plaintext before encryption is sealed at start and still reaches the runner", async () => {
    const { username, password } = remote.supervisor.credentials;
    const { id } = await live.api.runner.addRemote({ name: `legacy-${database.target}`, url: proxy.url, username, password });
    await database.client.runner.update({ where: { id }, data: { password, status: "unhealthy" } });

    expect(await live.services.runners.sealLegacyPasswords()).toBe(1);
    const row = await database.client.runner.findUniqueOrThrow({ where: { id } });
    expect(row.password).toMatch(/^enc:v1:/);
    await live.services.runners.pollRemotes();
    expect((await database.client.runner.findUniqueOrThrow({ where: { id } })).status).toBe("healthy");
  });

  it("refuses a URL with credentials in it or another scheme, saying why", async () => {
    await expect(live.api.runner.addRemote({ name: "creds", url: "http://opencode:hunter2@127.0.0.1:1/" })).rejects.toThrow(
      /must not contain a user name or password/,
    );
    await expect(live.api.runner.addRemote({ name: "file", url: "file:///etc/passwd" })).rejects.toThrow(/must start with http:\/\/ or https:\/\//);
    await expect(live.services.runners.addRemote({ name: "direct", url: "gopher://127.0.0.1:1" })).rejects.toThrow(/must start with http/);
  });
});
