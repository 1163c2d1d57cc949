import { afterAll, beforeAll, expect, it } from "vitest";
import { StreamHub } from "~/server/hub/stream-hub";
import type { SessionEvent } from "~/server/stream";
import { describeEachDatabase } from "~/server/testing/database";
import { prng } from "~/server/stream/fixtures/prng";
import { fakeRunner, fuzzedRecords, type FakeRunner } from "~/server/testing/fuzzed-runner";
import { waitUntil } from "~/server/testing/live";
import { DirectoryBridge } from "./directory-bridge";

describeEachDatabase("bridge under malformed runner events", (database) => {
  let fake: FakeRunner;
  // A fake runner: the real recorded sub-agent run, with 3,000 malformed events mixed in.
  beforeAll(async () => void (fake = await fakeRunner(fuzzedRecords(prng(7), 3_000, 100_000))));
  afterAll(() => fake.close());

  it("archives the real session tree and stays connected", async () => {
    const db = database.client;
    const runner = await db.runner.create({ data: { name: "fake", kind: "remote", url: fake.url } });
    const hub = new StreamHub<SessionEvent>({ bufferSize: 100, maxQueue: 1000, snapshot: async () => { throw new Error("unused"); } });
    const quiet = { info: () => {}, warn: () => {}, error: console.error };
    const bridge = new DirectoryBridge({
      db,
      hub,
      changes: { notify() {} },
      runnerId: runner.id,
      endpoint: { url: fake.url },
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
