import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";
import { StreamHub } from "~/server/hub/stream-hub";
import type { SessionEvent } from "~/server/stream";
import { describeEachDatabase } from "~/server/testing/database";
import { prng } from "~/server/stream/fixtures/prng";
import { runnerGarbage } from "~/server/stream/fixtures/runner-garbage";
import { sampleEvents } from "~/server/stream/fixtures/sample-stream";
import { waitUntil } from "~/server/testing/live";
import { DirectoryBridge } from "./directory-bridge";

const sample = sampleEvents().map((event) => JSON.stringify(event));

describeEachDatabase("bridge under malformed runner events", (database) => {
  let server: http.Server;
  let url: string;
  beforeAll(async () => {
    // A fake runner: the real recorded sub-agent run, with 3,000 malformed events mixed in.
    const random = prng(7);
    const records: string[] = [];
    for (const event of sample) {
      for (let i = 0; i < 3_000 / sample.length; i++) records.push(runnerGarbage(random, sample, { hugeChars: 100_000 }));
      records.push(event);
    }
    server = http.createServer((req, res) => {
      if (!req.url?.startsWith("/event")) return void res.writeHead(404).end();
      res.writeHead(200, { "content-type": "text/event-stream" });
      for (const record of records) res.write(`data: ${record}\n\n`);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))));

  it("archives the real session tree and stays connected", async () => {
    const db = database.client;
    const runner = await db.runner.create({ data: { name: "fake", kind: "remote", url } });
    const hub = new StreamHub<SessionEvent>({ bufferSize: 100, maxQueue: 1000, snapshot: async () => { throw new Error("unused"); } });
    const quiet = { info: () => {}, warn: () => {}, error: console.error };
    const bridge = new DirectoryBridge({
      db,
      hub,
      changes: { notify() {} },
      runnerId: runner.id,
      endpoint: { url },
      directory: "/home/dev/demo-project",
      stallMs: 600_000,
      log: quiet,
    });
    await bridge.start();
    try {
      // The run ends with the parent's final answer after its completed task call.
      await waitUntil(
        async () => (await db.toolSpan.count({ where: { tool: "task", status: "completed", session: { runnerId: runner.id } } })) === 1,
        30_000,
        "the sub-agent call to complete",
      );
      await bridge.settle();
      expect(await db.session.count({ where: { runnerId: runner.id } })).toBe(2);
      const child = await db.sessionRelation.findFirstOrThrow({ where: { kind: "subagent", parent: { runnerId: runner.id } } });
      const span = await db.toolSpan.findFirstOrThrow({ where: { childSessionId: child.childId } });
      expect(span).toMatchObject({ tool: "task", status: "completed", callId: child.toolCallId });
      // The garbage's made-up sessions never reached the archive.
      expect(await db.session.count({ where: { opencodeId: { in: ["ses_x", "ses_nobody"] } } })).toBe(0);
      expect(bridge.isConnected).toBe(true);
    } finally {
      await bridge.stop();
    }
  });
});
