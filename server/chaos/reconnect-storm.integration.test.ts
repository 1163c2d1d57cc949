import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Database } from "~/server/db";
import { marker } from "~/server/model/markers";
import { prng } from "~/server/stream/fixtures/prng";
import { assistantText, runnerAssistantText } from "~/server/testing/assistant-text";
import { startLive, waitForIdleTree, type Live } from "~/server/testing/live";
import { ResumingViewer } from "~/server/testing/resuming-viewer";

const DISCONNECTS = 500;

describe("reconnect storm on the session stream", () => {
  let database: Database;
  let live: Live;
  beforeAll(async () => {
    database = await createDb({ memory: true });
    // A small replay buffer so resumes take both paths: exact replay and snapshot + live tail.
    live = await startLive(database.client, { streamBuffer: 200, deltaDelayMs: 1 });
  });
  afterAll(async () => {
    await live?.stop();
    await database?.close();
  });

  it(`survives ${DISCONNECTS} forced disconnects: no gap, no duplicate, same text as the runner`, { timeout: 300_000 }, async () => {
    const { id, opencodeId } = await live.api.session.create({ runnerId: live.runnerId, directory: live.directory });
    await live.api.session.prompt({ sessionId: id, text: `Stream it. ${marker("long", 6_000)}` });

    const random = prng(2026);
    const viewer = new ResumingViewer(live, id, opencodeId);
    let disconnects = 0;
    let duringRun = 0;
    while (!viewer.finished || disconnects < DISCONNECTS) {
      // Disconnect after a random number of events (0 = right after subscribing).
      await viewer.take(random.int(12));
      disconnects++;
      if (!viewer.finished) duringRun++;
      // Now and then fall behind further than the replay buffer reaches.
      if (random.int(10) === 0) await new Promise((r) => setTimeout(r, random.int(120)));
    }
    await waitForIdleTree(live.services, id, 120_000);

    const runnerText = await runnerAssistantText(live, opencodeId);
    console.info(`reconnect storm: ${disconnects} disconnects (${duringRun} during the run), ${viewer.snapshots} snapshots, ${viewer.seen.size} events`);
    expect(disconnects).toBeGreaterThanOrEqual(DISCONNECTS);
    // The storm must hit the run itself, not only its quiet end.
    expect(duringRun).toBeGreaterThan(DISCONNECTS / 2);
    expect(viewer.gaps).toBe(0);
    expect(viewer.duplicates).toBe(0);
    expect(runnerText.length).toBeGreaterThan(6_000);
    expect(assistantText(viewer.state, opencodeId)).toBe(runnerText);
  });
});
