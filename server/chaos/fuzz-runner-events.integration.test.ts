import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Database } from "~/server/db";
import { checkHealth } from "~/server/health/check";
import { createLogger } from "~/server/log";
import { marker } from "~/server/model/markers";
import { prng } from "~/server/stream/fixtures/prng";
import { runnerGarbage } from "~/server/stream/fixtures/runner-garbage";
import { fakeRunner, fuzzedRecords, sampleRecords, type FakeRunner } from "~/server/testing/fuzzed-runner";
import { runnerAssistantText } from "~/server/testing/assistant-text";
import { startLive, waitForIdleTree, waitUntil, type Live } from "~/server/testing/live";

const FUZZED = 10_000;

describe(`${FUZZED} fuzzed runner events`, () => {
  let database: Database;
  let live: Live;
  let fake: FakeRunner;
  let rejections = 0;
  beforeAll(async () => {
    // A fake remote runner whose /event stream is the recorded sub-agent run with 10,000
    // malformed events mixed in, a few of them megabytes long.
    const random = prng(10_000);
    const records = fuzzedRecords(random, FUZZED, 20_000);
    while (records.length < FUZZED + sampleRecords.length) records.splice(random.int(records.length), 0, runnerGarbage(random, sampleRecords));
    records.splice(random.int(records.length), 0, JSON.stringify({ type: "message.part.delta", properties: { sessionID: "ses_big", messageID: "m", partID: "p", field: "text", delta: "z".repeat(8_000_000) } }));
    fake = await fakeRunner(records);
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
    await fake?.close();
  });

  it("leaves the app healthy, archives only the real tree, and real sessions still work", { timeout: 240_000 }, async () => {
    const db = database.client;
    const runner = await db.runner.create({ data: { name: "fuzzing", kind: "remote", url: fake.url } });
    // Through the app's own bridge manager, next to the embedded runner's live bridges.
    const bridge = await live.services.bridges.ensure({ runnerId: runner.id, endpoint: { url: fake.url } }, "/home/dev/demo-project");
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
