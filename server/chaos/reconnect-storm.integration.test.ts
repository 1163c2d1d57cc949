import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Database } from "~/server/db";
import { marker } from "~/server/model/markers";
import { prng } from "~/server/stream/fixtures/prng";
import { assistantText, runnerAssistantText } from "~/server/testing/assistant-text";
import { startLive, waitForIdleTree, type Live } from "~/server/testing/live";
import { ResumingViewer } from "~/server/testing/resuming-viewer";

const DISCONNECTS = 500;
// Long enough that 500 disconnects of 0-40 ms each fall inside the run (about 2 ms a delta here).
const DELTAS = 12_000;

describe("reconnect storm on the session stream", () => {
  let database: Database;
  let live: Live;
  beforeAll(async () => {
    database = await createDb({ memory: true });
    // A tiny replay buffer (deltas are merged per batch: 4 events are a few hundred ms of this
    // stream) so resumes take both paths: exact replay, and snapshot + live tail.
    live = await startLive(database.client, { streamBuffer: 4, deltaDelayMs: 1 });
  });
  afterAll(async () => {
    await live?.stop();
    await database?.close();
  });

  it(`survives ${DISCONNECTS} forced disconnects: no gap, no duplicate, same text as the runner`, { timeout: 300_000 }, async () => {
    const { id, opencodeId } = await live.api.session.create({ runnerId: live.runnerId, directory: live.directory });
    await live.api.session.prompt({ sessionId: id, text: `Stream it. ${marker("long", DELTAS)}` });

    const random = prng(2026);
    const viewer = new ResumingViewer(live, id, opencodeId);
    let disconnects = 0;
    while (!viewer.finished) {
      // Disconnect after a random time (0 = right after subscribing), wherever the stream is.
      await viewer.take(random.int(40));
      disconnects++;
      // Now and then fall behind, at times further than the replay buffer reaches (a few hundred ms here).
      if (random.int(20) === 0) await new Promise((r) => setTimeout(r, random.int(800)));
    }
    await waitForIdleTree(live.services, id, 120_000);

    const runnerText = await runnerAssistantText(live, opencodeId);
    console.info(`reconnect storm: ${disconnects} disconnects during the run, ${viewer.snapshots} snapshots, ${viewer.seen.size} events`);
    // Every disconnect hit the run itself (the loop ends with the turn).
    expect(disconnects).toBeGreaterThanOrEqual(DISCONNECTS);
    // Both resume paths were taken: exact replay, and a snapshot when too far behind.
    expect(viewer.snapshots).toBeGreaterThan(1);
    expect(viewer.gaps).toBe(0);
    expect(viewer.duplicates).toBe(0);
    expect(runnerText.length).toBeGreaterThan(DELTAS);
    expect(assistantText(viewer.state, opencodeId)).toBe(runnerText);
  });
});
