import { afterAll, afterEach, beforeAll, expect, it, vi } from "vitest";
import { marker } from "~/server/model/markers";
import { describeEachDatabase } from "~/server/testing/database";
import { createRunnerClient } from "~/server/runtime/client";
import { startLive, waitForIdleTree, waitUntil, type Live } from "~/server/testing/live";

// A bridge opening on a directory catches up the sessions active there lately. One the archive
// already holds as the runner has it is checked by its latest message, not re-read whole.
describeEachDatabase("a bridge opening on recently active sessions", (database) => {
  let live: Live;
  let session: { id: string; opencodeId: string };
  beforeAll(async () => {
    live = await startLive(database.client);
    session = await live.api.session.create({ runnerId: live.runnerId, directory: live.directory });
    for (const [index, text] of ["One.", "Two."].entries()) {
      await live.api.session.prompt({ sessionId: session.id, text: `${text} ${marker("tools", 5)}` });
      const ended = { sessionId: session.id, index: index + 1, status: { not: "running" as const } };
      await waitUntil(async () => (await database.client.turn.count({ where: ended })) === 1, 30_000, `turn ${index + 1} to end`);
      await waitForIdleTree(live.services, session.id);
    }
  }, 120_000);
  afterAll(async () => live?.stop());
  afterEach(() => vi.restoreAllMocks());

  /** Re-opens the directory's bridge; returns the message-list reads it made of the session. */
  async function reopen(): Promise<URL[]> {
    const link = (await live.services.runners.link(live.runnerId))!;
    // The runner may still call it busy for a moment after the archive saw the turn end.
    const runner = createRunnerClient(link.endpoint, { directory: live.directory });
    await waitUntil(async () => (await runner.session.status()).data?.[session.opencodeId]?.type !== "busy", 20_000, "the runner to call the session idle");
    await live.services.bridges.closeRunner(live.runnerId);
    const reads: URL[] = [];
    const fetch = globalThis.fetch;
    vi.spyOn(globalThis, "fetch").mockImplementation((input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      if (url.pathname === `/session/${session.opencodeId}/message`) reads.push(url);
      return fetch(input, init);
    });
    await (await live.services.bridges.ensure(link, live.directory)).settle();
    return reads;
  }

  const archived = () => database.client.part.count({ where: { sessionId: session.id } });

  it("reads only the latest message of a session the archive is up to date on", async () => {
    const parts = await archived();
    const reads = await reopen();
    expect(reads.map((url) => url.searchParams.get("limit"))).toEqual(["1"]);
    expect(await archived()).toBe(parts);
  });

  it("reads the whole list when the latest message differs, and the archive gets what it lacked", async () => {
    const parts = await archived();
    const last = await database.client.message.findFirstOrThrow({
      where: { sessionId: session.id, parts: { some: {} } },
      orderBy: { opencodeId: "desc" },
    });
    await database.client.message.delete({ where: { id: last.id } });
    expect(await archived()).toBeLessThan(parts);

    const reads = await reopen();
    expect(reads.some((url) => !url.searchParams.has("limit"))).toBe(true);
    expect(await archived()).toBe(parts);
  });
});
