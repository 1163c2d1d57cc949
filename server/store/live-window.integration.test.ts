import { afterAll, beforeAll, expect, it } from "vitest";
import { marker } from "~/server/model/markers";
import type { SessionEvent } from "~/server/stream";
import { describeEachDatabase } from "~/server/testing/database";
import { sessionEvents, startLive, waitForIdleTree, waitUntil, type Live } from "~/server/testing/live";
import { WINDOW_PARTS } from "./older-parts";
import { loadSnapshot, TAIL_PARTS } from "./snapshot";
import { conversationRows } from "~/components/session/rows";
import { shownView } from "~/components/live-session/window";

type Snapshot = Extract<SessionEvent, { kind: "snapshot" }>;

// A session longer than the live view's window (more than two pages before it), grown through
// the real runner: one turn of many tool calls, then a short one.
describeEachDatabase("a long session's live snapshot is a window, and older pages fill it", (database) => {
  let live: Live;
  let id: string;
  let opencodeId: string;

  beforeAll(async () => {
    live = await startLive(database.client);
    ({ id, opencodeId } = await live.api.session.create({ runnerId: live.runnerId, directory: live.directory, title: "Long" }));
    for (const [index, text] of [`Read a lot. ${marker("tools", 2 * WINDOW_PARTS + 100)}`, `And answer. ${marker("text")}`].entries()) {
      await live.api.session.prompt({ sessionId: id, text });
      await waitUntil(async () => (await live.services.db.turn.count({ where: { sessionId: id, index: index + 1 } })) > 0, 30_000, `turn ${index + 1}`);
      await waitForIdleTree(live.services, id, 180_000);
      await live.services.bridges.find(live.runnerId, live.directory)!.settle();
    }
  }, 300_000);
  afterAll(async () => live?.stop());

  async function firstSnapshot(): Promise<Snapshot> {
    const ac = new AbortController();
    try {
      for await (const event of sessionEvents(live, id, null, ac.signal)) {
        if (event.kind === "snapshot") return event;
        throw new Error(`expected a snapshot first, got ${event.kind}`);
      }
      throw new Error("the stream ended without an event");
    } finally {
      ac.abort();
    }
  }

  it("sends a new viewer the latest parts, every turn and message, and the count of the rest", async () => {
    const whole = (await loadSnapshot(live.services.db, id)).state.sessions[opencodeId]!;
    const total = Object.keys(whole.parts).length;
    expect(total).toBeGreaterThan(WINDOW_PARTS);
    const view = (await firstSnapshot()).state.sessions[opencodeId]!;
    const latest = Object.keys(whole.parts).sort().slice(-WINDOW_PARTS);
    expect(Object.keys(view.parts).sort()).toEqual(latest);
    expect(view.window).toEqual({ partId: latest[0], messageId: whole.parts[latest[0]!]!.messageId, older: total - WINDOW_PARTS });
    expect(view.turns).toEqual(whole.turns);
    expect(view.messages).toEqual(whole.messages);
    expect(view.boundary).toEqual(whole.boundary);
  });

  it("reads the tail the live page renders first: the latest parts, their messages, the rows the view ends with", async () => {
    const whole = (await loadSnapshot(live.services.db, id)).state.sessions[opencodeId]!;
    const tail = await live.api.session.tail({ sessionId: id });
    const latest = Object.keys(whole.parts).sort().slice(-TAIL_PARTS);
    expect(Object.keys(tail.parts).sort()).toEqual(latest);
    expect(Object.keys(tail.messages).sort()).toEqual([...new Set(latest.map((part) => whole.parts[part]!.messageId))].sort());
    // Its rows are the last of the whole session's: the long turn's last calls (no prompt: it
    // starts inside that turn), then the short turn whole.
    const rows = conversationRows(shownView(tail)).map((row) => row.key);
    expect(rows.filter((key) => key.startsWith("prompt:"))).toHaveLength(1);
    expect(rows).toEqual(conversationRows(whole).map((row) => row.key).slice(-rows.length));
  });

  it("pages in the earlier parts until the view holds every part, as the archive has them", async () => {
    const whole = (await loadSnapshot(live.services.db, id)).state.sessions[opencodeId]!;
    const view = (await firstSnapshot()).state.sessions[opencodeId]!;
    const parts = { ...view.parts };
    let window = view.window ?? null;
    let pages = 0;
    while (window) {
      const page = await live.api.session.olderParts({ sessionId: id, member: opencodeId, before: window.partId });
      expect(Object.keys(page.parts).length).toBeLessThanOrEqual(WINDOW_PARTS);
      expect(Object.keys(page.parts).every((partId) => partId < window!.partId)).toBe(true);
      Object.assign(parts, page.parts);
      if (page.window) expect(page.window.older).toBe(window.older - Object.keys(page.parts).length);
      window = page.window;
      pages++;
    }
    expect(pages).toBe(Math.ceil((Object.keys(whole.parts).length - WINDOW_PARTS) / WINDOW_PARTS));
    expect(parts).toEqual(whole.parts);
  });

  it("loads everything from a turn's start on for a jump to that turn", async () => {
    const whole = (await loadSnapshot(live.services.db, id)).state.sessions[opencodeId]!;
    const view = (await firstSnapshot()).state.sessions[opencodeId]!;
    const page = await live.api.session.olderParts({ sessionId: id, member: opencodeId, before: view.window!.partId, fromTurn: 1 });
    expect(page.window).toBeNull();
    expect({ ...page.parts, ...view.parts }).toEqual(whole.parts);
  });

  it("says which session it does not know", async () => {
    await expect(live.api.session.olderParts({ sessionId: id, member: "ses_missing", before: "prt_z" })).rejects.toThrow(
      `No session ses_missing in the tree of ${id}.`,
    );
  });
});
