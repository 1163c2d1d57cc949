import { afterAll, beforeAll, expect, it } from "vitest";
import { marker } from "~/server/model/markers";
import { loadSnapshot } from "~/server/store/snapshot";
import { assistantText, runnerAssistantText } from "~/server/testing/assistant-text";
import { describeEachDatabase } from "~/server/testing/database";
import { sessionChunks, startLive, waitForIdleTree, type Live } from "~/server/testing/live";
import { StreamViewer } from "~/server/testing/stream-viewer";

// Manual syncs while a run streams: the bridge is the tree's one writer, so neither the live
// view nor the archive gets a delta twice or loses one.
describeEachDatabase("a manual sync while a tree streams", (database) => {
  let live: Live;
  beforeAll(async () => {
    live = await startLive(database.client, { deltaDelayMs: 2, archive: { idleMs: 0, sweepMs: 0, retention: { everyMs: 0 } } });
  });
  afterAll(async () => live?.stop());

  it("leaves the live view and the archive identical to the runner", { timeout: 120_000 }, async () => {
    const { id, opencodeId } = await live.api.session.create({ runnerId: live.runnerId, directory: live.directory });
    const viewer = new StreamViewer((lastEventId, signal) => sessionChunks(live, id, lastEventId, signal), opencodeId);
    const viewing = viewer.take(90_000);
    await live.api.session.prompt({ sessionId: id, text: `Stream. ${marker("long", 2_000)}` });

    const syncs: { changes: number; version: number }[] = [];
    // What the archive held right after each sync: the text so far, never a delta twice.
    const archived: string[] = [];
    const archiveText = async () => assistantText((await loadSnapshot(database.client, id)).state, opencodeId);
    while (!viewer.finished) {
      syncs.push(await live.api.archive.sync({ sessionId: id }));
      archived.push(await archiveText());
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    await viewing;
    await waitForIdleTree(live.services, id);
    const last = await live.api.archive.sync({ sessionId: id });

    const runner = await runnerAssistantText(live, opencodeId);
    expect(runner.length).toBeGreaterThan(2_000);
    // Several syncs ran mid-stream, each committing a new archive version.
    expect(syncs.length).toBeGreaterThanOrEqual(3);
    expect(last.version).toBe(syncs.at(-1)!.version + 1);
    expect(viewer.gaps).toBe(0);
    expect(viewer.duplicates).toBe(0);
    expect(assistantText(viewer.state, opencodeId)).toBe(runner);
    expect(await archiveText()).toBe(runner);
    for (const text of archived) expect(runner.startsWith(text), `archived mid-stream: ${JSON.stringify(text.slice(0, 300))} (${text.length}) vs ${JSON.stringify(runner.slice(0, 300))}`).toBe(true);
    expect(await live.api.archive.status({ sessionId: id })).toMatchObject({ state: "archived" });
  });
});
