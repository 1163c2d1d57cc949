import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Database } from "~/server/db";
import { marker } from "~/server/model/markers";
import type { SessionEvent } from "~/server/stream";
import { sessionEvents, startLive, waitUntil, waitForIdleTree, type Live } from "~/server/testing/live";

describe("when a turn goes wrong on the real runner", () => {
  let database: Database;
  let live: Live;
  beforeAll(async () => {
    database = await createDb({ memory: true });
    live = await startLive(database.client, { stallMs: 2_000 });
  });
  afterAll(async () => {
    await live?.stop();
    await database?.close();
  });

  async function startHanging(onEvent: (event: SessionEvent) => void = () => {}) {
    const { id } = await live.api.session.create({ runnerId: live.runnerId, directory: live.directory });
    const ac = new AbortController();
    const watching = (async () => {
      for await (const data of sessionEvents(live, id, null, ac.signal)) onEvent(data);
    })();
    await live.api.session.prompt({ sessionId: id, text: `Then wait. ${marker("hang")}` });
    // Some of the answer is stored before the model goes silent.
    await waitUntil(
      async () =>
        (await database.client.part.count({
          where: { sessionId: id, type: "text", text: { not: "" }, message: { role: "assistant" } },
        })) > 0,
      20_000,
      "the first streamed text to be stored",
    );
    return { id, stopWatching: async () => (ac.abort(), await watching) };
  }

  it("marks a silent turn stalled and tells subscribers", async () => {
    const seen: SessionEvent[] = [];
    const { id, stopWatching } = await startHanging((event) => seen.push(event));
    await waitUntil(
      async () => (await database.client.turn.findFirst({ where: { sessionId: id } }))?.status === "stalled",
      20_000,
      "the watchdog to mark the turn",
    );
    await waitUntil(() => seen.some((e) => e.kind === "turn.stalled"), 5_000, "subscribers to hear of it");
    await stopWatching();
    expect((await database.client.session.findUniqueOrThrow({ where: { id } })).status).toBe("stalled");
    expect(seen.find((e) => e.kind === "turn.stalled")).toMatchObject({ sessionId: seen[0]!.rootSessionId });
  });

  it("survives the runner being killed mid-turn: restarted, turn marked, nothing stored lost", async () => {
    const { id, stopWatching } = await startHanging();
    await stopWatching();
    const before = await database.client.part.findMany({ where: { sessionId: id }, orderBy: { opencodeId: "asc" } });
    const { supervisor } = live.services.embedded!;
    const killed = supervisor.instance!;
    process.kill(killed.pid, "SIGKILL");

    await waitUntil(() => (supervisor.instance?.instanceId ?? killed.instanceId) !== killed.instanceId, 30_000, "the runner to restart");
    await waitUntil(
      async () => (await database.client.turn.findFirst({ where: { sessionId: id, status: "error" } })) !== null,
      20_000,
      "the interrupted turn to be marked",
    );
    const turn = await database.client.turn.findFirstOrThrow({ where: { sessionId: id } });
    expect(turn.error).toMatch(/runner restarted/i);

    const after = await database.client.part.findMany({ where: { sessionId: id }, orderBy: { opencodeId: "asc" } });
    for (const part of before) {
      const kept = after.find((p) => p.opencodeId === part.opencodeId);
      expect(kept, `part ${part.opencodeId} is still archived`).toBeDefined();
      expect((kept!.text ?? "").startsWith(part.text ?? "")).toBe(true);
    }

    // The session is flagged, not silently reused; once confirmed, it runs again.
    await expect(live.api.session.prompt({ sessionId: id, text: marker("text") })).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
    });
    await live.api.session.prompt({ sessionId: id, text: marker("text"), acknowledgeStale: true });
    await waitUntil(
      async () => (await database.client.turn.count({ where: { sessionId: id, status: "completed" } })) === 1,
      30_000,
      "the next turn to complete",
    );
    await waitForIdleTree(live.services, id);
  });
});
