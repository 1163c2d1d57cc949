import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Database } from "~/server/db";
import { marker } from "~/server/model/markers";
import { applyEvent, emptySnapshot, type SnapshotState } from "~/server/stream";
import { assistantText, runnerAssistantText } from "~/server/testing/assistant-text";
import { startLive, waitForIdleTree, waitUntil, sessionChunks, type Live } from "~/server/testing/live";

const answers = (state: SnapshotState, opencodeId: string) =>
  Object.values(state.sessions[opencodeId]?.messages ?? {}).filter((m) => m.role === "assistant" && m.completedAt).length;

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
    let state = emptySnapshot(quiet.opencodeId);
    let snapshots = 0;
    const seqs: number[] = [];
    const viewing = (async () => {
      for await (const { data } of sessionChunks(live, quiet.id, null, stop.signal)) {
        for (const event of data) {
          if (event.kind === "snapshot") snapshots++;
          else seqs.push(event.seq);
          state = applyEvent(state, event);
        }
      }
    })().catch(() => {});
    await waitUntil(() => snapshots > 0, 10_000, "the viewer's snapshot");
    await api.session.prompt({ sessionId: quiet.id, text: `Two. ${marker("long", 300)}` });
    await waitForIdleTree(live.services, quiet.id);
    await waitUntil(() => answers(state, quiet.opencodeId) === 2 && state.sessions[quiet.opencodeId]?.status === "idle", 30_000, "the viewer to have both answers");

    expect(Math.min(...seqs)).toBeGreaterThan(seqBefore);
    expect(seqs).toEqual([...new Set(seqs)].sort((a, b) => a - b));
    expect(assistantText(state, quiet.opencodeId)).toBe(await runnerAssistantText(live, quiet.opencodeId));
    stop.abort();
    await Promise.all([watcher, viewing]);
  });
});
