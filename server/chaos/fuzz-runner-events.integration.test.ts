import http from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Database } from "~/server/db";
import { checkHealth } from "~/server/health/check";
import { createLogger } from "~/server/log";
import { marker } from "~/server/model/markers";
import { prng } from "~/server/stream/fixtures/prng";
import { runnerGarbage } from "~/server/stream/fixtures/runner-garbage";
import { sampleEvents } from "~/server/stream/fixtures/sample-stream";
import { runnerAssistantText } from "~/server/testing/assistant-text";
import { startLive, waitForIdleTree, waitUntil, type Live } from "~/server/testing/live";

const FUZZED = 10_000;
const sample = sampleEvents().map((event) => JSON.stringify(event));

describe(`${FUZZED} fuzzed runner events`, () => {
  let database: Database;
  let live: Live;
  let fakeRunner: http.Server;
  let url: string;
  let rejections = 0;
  beforeAll(async () => {
    // A fake remote runner whose /event stream is the recorded sub-agent run with 10,000
    // malformed events mixed in, a few of them megabytes long.
    const random = prng(10_000);
    const records: string[] = [];
    for (const event of sample) {
      for (let i = 0; i < FUZZED / sample.length; i++) records.push(runnerGarbage(random, sample, { hugeChars: 20_000 }));
      records.push(event);
    }
    for (let i = 0; records.length < FUZZED + sample.length; i++) records.splice(random.int(records.length), 0, runnerGarbage(random, sample));
    records.splice(random.int(records.length), 0, JSON.stringify({ type: "message.part.delta", properties: { sessionID: "ses_big", messageID: "m", partID: "p", field: "text", delta: "z".repeat(8_000_000) } }));
    fakeRunner = http.createServer((req, res) => {
      if (!req.url?.startsWith("/event")) return void res.writeHead(404).end();
      res.writeHead(200, { "content-type": "text/event-stream" });
      for (const record of records) res.write(`data: ${record}\n\n`);
    });
    await new Promise<void>((resolve) => fakeRunner.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(fakeRunner.address() as AddressInfo).port}`;
    database = await createDb({ memory: true });
    // Every rejection is logged (counted here, not printed: thousands of lines).
    const lines = new Writable({
      write(line: Buffer, _encoding, done) {
        if (line.toString().includes("[bridge] rejected event")) rejections++;
        done();
      },
    });
    live = await startLive(database.client, { log: createLogger({ level: "warn", destination: lines }) });
  });
  afterAll(async () => {
    await live?.stop();
    await database?.close();
    await new Promise<void>((resolve) => (fakeRunner.closeAllConnections(), fakeRunner.close(() => resolve())));
  });

  it("leaves the app healthy, archives only the real tree, and real sessions still work", { timeout: 240_000 }, async () => {
    const db = database.client;
    const runner = await db.runner.create({ data: { name: "fuzzing", kind: "remote", url } });
    // Through the app's own bridge manager, next to the embedded runner's live bridges.
    const bridge = await live.services.bridges.ensure({ runnerId: runner.id, endpoint: { url } }, "/home/dev/demo-project");
    await waitUntil(
      async () => (await db.toolSpan.count({ where: { tool: "task", status: "completed", session: { runnerId: runner.id } } })) === 1,
      180_000,
      "the real sub-agent run among the garbage to be archived",
    );
    await bridge.settle();
    expect(bridge.isConnected).toBe(true);
    expect(await db.session.count({ where: { runnerId: runner.id } })).toBe(2);
    expect(await db.session.count({ where: { opencodeId: { in: ["ses_x", "ses_nobody", "ses_big"] } } })).toBe(0);

    const health = await checkHealth("pglite", async () => db);
    expect(health).toMatchObject({ status: "ok", database: { ok: true } });

    // A real session on the real runner, start to finish, after the storm.
    const { id, opencodeId } = await live.api.session.create({ runnerId: live.runnerId, directory: live.directory });
    await live.api.session.prompt({ sessionId: id, text: marker("text") });
    await waitForIdleTree(live.services, id, 60_000);
    const stored = await db.part.findMany({ where: { sessionId: id, type: "text", message: { role: "assistant" } } });
    expect(stored.map((p) => p.text).join("")).toBe(await runnerAssistantText(live, opencodeId));
    expect(stored.map((p) => p.text).join("")).toContain("Demo model streaming plain text");

    await bridge.settle();
    console.info(`fuzz: ${rejections} rejections logged`);
    expect(rejections).toBeGreaterThan(FUZZED / 2);
    expect((await checkHealth("pglite", async () => db)).status).toBe("ok");
  });
});
