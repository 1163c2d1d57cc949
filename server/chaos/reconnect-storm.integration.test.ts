import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Database } from "~/server/db";
import { marker } from "~/server/model/markers";
import { prng, type Prng } from "~/server/stream/fixtures/prng";
import { assistantText, runnerAssistantText } from "~/server/testing/assistant-text";
import { startLive, waitForIdleTree, type Live } from "~/server/testing/live";
import { ResumingViewer } from "~/server/testing/resuming-viewer";

/** How a viewer drops its connection: after how many ms, and how long it then stays away (0: it resumes at once). */
type Pattern = { seed: number; connected: (random: Prng) => number; away: (random: Prng) => number };

/**
 * A `deltas`-piece answer read by a viewer that drops and resumes its connection as `pattern`
 * says, until the turn ends; then what it assembled against the runner's own text.
 */
async function readThroughDisconnects(live: Live, deltas: number, pattern: Pattern) {
  const { id, opencodeId } = await live.api.session.create({ runnerId: live.runnerId, directory: live.directory });
  await live.api.session.prompt({ sessionId: id, text: `Stream it. ${marker("long", deltas)}` });
  const random = prng(pattern.seed);
  const viewer = new ResumingViewer(live, id, opencodeId);
  let disconnects = 0;
  while (!viewer.finished) {
    await viewer.take(pattern.connected(random));
    disconnects++;
    const away = pattern.away(random);
    if (away > 0) await new Promise((r) => setTimeout(r, away));
  }
  await waitForIdleTree(live.services, id, 120_000);
  const runnerText = await runnerAssistantText(live, opencodeId);
  expect(viewer.gaps).toBe(0);
  expect(viewer.duplicates).toBe(0);
  expect(runnerText.length).toBeGreaterThan(deltas);
  expect(assistantText(viewer.state, opencodeId)).toBe(runnerText);
  return { disconnects, snapshots: viewer.snapshots, exactResumes: viewer.exactResumes, events: viewer.seen.size };
}

/** The app with a replay buffer of `streamBuffer` events, its model pacing an answer's pieces about 1 ms apart. */
function withLive(streamBuffer: number): () => Live {
  let database: Database;
  let live: Live;
  beforeAll(async () => {
    database = await createDb({ memory: true });
    live = await startLive(database.client, { streamBuffer, deltaDelayMs: 1 });
  });
  afterAll(async () => {
    await live?.stop();
    await database?.close();
  });
  return () => live;
}

describe("resuming the session stream through tRPC", () => {
  // A buffer of 300 events: most resumes replay exactly, a viewer that falls further behind gets a snapshot and the tail.
  const live = withLive(300);

  it("assembles a 5,000-delta answer byte-identical to the runner's, across random disconnects", { timeout: 180_000 }, async () => {
    const read = await readThroughDisconnects(live(), 5_000, {
      seed: 42,
      connected: (random) => random.int(400),
      away: (random) => (random.chance(0.2) ? random.int(150) : 0),
    });
    console.info(`resume: ${read.disconnects} reconnects, ${read.exactResumes} exact resumes, ${read.snapshots} snapshots, ${read.events} events`);
    expect(read.exactResumes).toBeGreaterThan(5);
  });
});

// Long enough for hundreds of disconnects of 0-40 ms each inside the run (about 2 ms a delta here).
const DELTAS = 12_000;

describe("reconnect storm on the session stream", () => {
  // A tiny replay buffer (deltas are merged per batch: 4 events are a few hundred ms of this
  // stream) so resumes take both paths: exact replay, and snapshot + live tail.
  const live = withLive(4);

  it("survives a disconnect every 0-40 ms until the turn ends: no gap, no duplicate, same text as the runner", { timeout: 300_000 }, async () => {
    const read = await readThroughDisconnects(live(), DELTAS, {
      seed: 2026,
      // Disconnect after a random time (0 = right after subscribing), wherever the stream is.
      connected: (random) => random.int(40),
      // Now and then fall behind, at times further than the replay buffer reaches (a few hundred ms here).
      away: (random) => (random.int(20) === 0 ? random.int(800) : 0),
    });
    // How many disconnects fit in the run depends on the machine's speed; what the viewer ends
    // with must not, and both resume paths must have been taken to count.
    console.info(`reconnect storm: ${read.disconnects} disconnects during the run, ${read.exactResumes} exact resumes, ${read.snapshots} snapshots, ${read.events} events`);
    expect(read.exactResumes).toBeGreaterThan(1);
    expect(read.snapshots).toBeGreaterThan(1);
  });
});
