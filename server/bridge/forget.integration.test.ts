import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Database } from "~/server/db";
import { marker } from "~/server/model/markers";
import { assistantText, runnerAssistantText } from "~/server/testing/assistant-text";
import { startLive, waitForIdleTree, waitUntil, sessionChunks, type Live } from "~/server/testing/live";
import { StreamViewer } from "~/server/testing/stream-viewer";

describe("a bridge following a directory for long", () => {
  let database: Database;
  let live: Live;
  beforeAll(async () => {
    database = await createDb({ memory: true });
    live = await startLive(database.client, { bridgeIdleMs: 1_500 });
  });
  afterAll(async () => {
    await live?.stop();
    await database?.close();
  });

  it("lets go of a quiet tree nobody watches, and streams it exactly when it runs again", { timeout: 120_000 }, async () => {
    const api = live.api;
    // A watched tree keeps the directory's bridge open throughout.
    const watched = await api.session.create({ runnerId: live.runnerId, directory: live.directory });
    const stop = new AbortController();
    const watcher = (async () => {
      for await (const _ of sessionChunks(live, watched.id, null, stop.signal));
    })().catch(() => {});

    const quiet = await api.session.create({ runnerId: live.runnerId, directory: live.directory });
    await api.session.prompt({ sessionId: quiet.id, text: `One. ${marker("long", 200)}` });
    await waitForIdleTree(live.services, quiet.id);
    const bridge = live.services.bridges.find(live.runnerId, live.directory)!;
    const seqBefore = (await live.services.db.session.findUniqueOrThrow({ where: { id: quiet.id } })).lastSeq;
    await waitUntil(() => !bridge.holdsTree(quiet.opencodeId), 30_000, "the quiet tree to be let go");
    expect(live.services.bridges.find(live.runnerId, live.directory)).toBe(bridge);

    // A viewer opens it, then it runs again: seeded from the archive, numbered above every seq
    // handed out before, and the viewer follows across that jump without a gap or a duplicate.
    const viewer = new StreamViewer((lastEventId, signal) => sessionChunks(live, quiet.id, lastEventId, signal), quiet.opencodeId, 2);
    const viewing = viewer.take(90_000);
    await waitUntil(() => viewer.snapshots > 0, 10_000, "the viewer's snapshot");
    await api.session.prompt({ sessionId: quiet.id, text: `Two. ${marker("long", 300)}` });
    await viewing;
    await waitForIdleTree(live.services, quiet.id);

    expect(viewer.finished).toBe(true);
    expect(Math.min(...viewer.seen)).toBeGreaterThan(seqBefore);
    expect(viewer.gaps).toBe(0);
    expect(viewer.duplicates).toBe(0);
    expect(assistantText(viewer.state, quiet.opencodeId)).toBe(await runnerAssistantText(live, quiet.opencodeId));
    stop.abort();
    await watcher;
  });
});
