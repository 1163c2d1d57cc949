import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Database } from "~/server/db";
import { marker } from "~/server/model/markers";
import { assistantText, runnerAssistantText } from "~/server/testing/assistant-text";
import { startLive, waitForIdleTree, type Live } from "~/server/testing/live";
import { ResumingViewer } from "~/server/testing/resuming-viewer";

// A small seeded PRNG so a failing disconnect pattern can be replayed.
function prng(seed: number) {
  return () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
}

describe("resuming the session stream through tRPC", () => {
  let database: Database;
  let live: Live;
  beforeAll(async () => {
    database = await createDb({ memory: true });
    // A small buffer so reconnects exercise both paths: exact replay and snapshot + tail.
    // The model paces its 5,000 pieces (about 1 ms apart) so disconnects land mid-run.
    live = await startLive(database.client, { streamBuffer: 300, deltaDelayMs: 1 });
  });
  afterAll(async () => {
    await live?.stop();
    await database?.close();
  });

  it("assembles a 5,000-delta answer byte-identical to the runner's, across random disconnects", { timeout: 180_000 }, async () => {
    const { id, opencodeId } = await live.api.session.create({ runnerId: live.runnerId, directory: live.directory });
    await live.api.session.prompt({ sessionId: id, text: `Stream it. ${marker("long", 5000)}` });

    const random = prng(42);
    const viewer = new ResumingViewer(live, id, opencodeId);
    let reconnects = 0;
    while (!viewer.finished) {
      await viewer.take(Math.floor(random() * 400));
      reconnects++;
      // Fall behind now and then, further than the buffer reaches.
      if (random() < 0.2) await new Promise((r) => setTimeout(r, random() * 150));
    }
    await waitForIdleTree(live.services, id);

    const runnerText = await runnerAssistantText(live, opencodeId);
    const streamedText = assistantText(viewer.state, opencodeId);
    console.info(`resume: ${reconnects} reconnects, ${viewer.snapshots} snapshots, ${viewer.seen.size} events`);
    expect(reconnects).toBeGreaterThan(5);
    expect(viewer.duplicates).toBe(0);
    expect(viewer.gaps).toBe(0);
    expect(runnerText.length).toBeGreaterThan(5000);
    expect(streamedText).toBe(runnerText);
  });
});
