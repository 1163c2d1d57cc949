import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ChangeFeed, type ChangedTrees } from "./change-feed";

const INTERVAL = 500;

/** Reads a subscription as fast as notices come, noting when (fake time) each arrived. */
function record(feed: ChangeFeed, signal: AbortSignal) {
  const seen: { at: number; rootIds: string[] }[] = [];
  const done = (async () => {
    for await (const notice of feed.subscribe(signal)) seen.push({ at: Date.now(), rootIds: [...notice.rootIds].sort() });
  })();
  return { seen, done };
}

describe("ChangeFeed", () => {
  beforeEach(() => vi.useFakeTimers({ now: 0 }));
  afterEach(() => vi.useRealTimers());

  it("first says to read everything, then tells every subscriber at once which trees changed", async () => {
    const feed = new ChangeFeed(INTERVAL);
    feed.notify(["before"]); // nobody listened: not replayed
    const ac = new AbortController();
    const [a, b] = [record(feed, ac.signal), record(feed, ac.signal)];
    await vi.advanceTimersByTimeAsync(1_000);
    feed.notify(["root-1"]);
    await vi.advanceTimersByTimeAsync(0);
    for (const { seen } of [a, b]) {
      expect(seen).toEqual([
        { at: 0, rootIds: [] },
        { at: 1_000, rootIds: ["root-1"] },
      ]);
    }
    ac.abort();
    await Promise.all([a.done, b.done]);
  });

  it("loses no change made between subscribing and reading the first notice", async () => {
    const feed = new ChangeFeed(INTERVAL);
    const ac = new AbortController();
    const sub = feed.subscribe(ac.signal);
    expect((await sub.next()).value).toEqual({ rootIds: [] });
    feed.notify(["a"]); // committed while the reader reads its list
    expect((await sub.next()).value).toEqual({ rootIds: ["a"] });
    ac.abort();
  });

  it("coalesces a burst: at most one notice per interval, carrying every tree changed meanwhile", async () => {
    const feed = new ChangeFeed(INTERVAL);
    const ac = new AbortController();
    const { seen, done } = record(feed, ac.signal);
    await vi.advanceTimersByTimeAsync(0);
    // A streaming run: a commit every 10 ms for 1.2 s, spread over three trees.
    for (let i = 0; i < 120; i++) {
      feed.notify([["a", "b", "c"][i % 3]!]);
      await vi.advanceTimersByTimeAsync(10);
    }
    await vi.advanceTimersByTimeAsync(5_000);
    const changes = seen.slice(1);
    expect(changes.map((n) => n.at)).toEqual([0, 500, 1_000, 1_500]);
    expect(changes[0]!.rootIds).toEqual(["a"]);
    for (const notice of changes.slice(1)) expect(notice.rootIds).toEqual(["a", "b", "c"]);
    ac.abort();
    await done;
  });

  it("keeps what is notified while the reader is still busy with the previous notice", async () => {
    const feed = new ChangeFeed(INTERVAL);
    const ac = new AbortController();
    const sub = feed.subscribe(ac.signal);
    await sub.next();
    const first = sub.next();
    await vi.advanceTimersByTimeAsync(0);
    feed.notify(["a"]);
    expect((await first).value).toEqual({ rootIds: ["a"] });
    // The reader has not asked for more yet (it is re-reading its list): the generator sits at
    // its yield while these arrive.
    feed.notify(["b"]);
    await vi.advanceTimersByTimeAsync(INTERVAL * 3);
    feed.notify(["c"]);
    let next: unknown;
    void sub.next().then((r) => (next = r.value));
    await vi.advanceTimersByTimeAsync(0);
    expect(next).toEqual({ rootIds: ["b", "c"] });
    ac.abort();
  });

  it("says nothing while nothing changes", async () => {
    const feed = new ChangeFeed(INTERVAL);
    const ac = new AbortController();
    const { seen, done } = record(feed, ac.signal);
    feed.notify([]);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(seen).toEqual([{ at: 0, rootIds: [] }]);
    ac.abort();
    await done;
  });

  it("ends when its signal aborts, whether it waits for a change or sits out the interval", async () => {
    const feed = new ChangeFeed(INTERVAL);
    const idle = new AbortController();
    const waiting = feed.subscribe(idle.signal);
    await waiting.next();
    const waitingNext = waiting.next();
    await vi.advanceTimersByTimeAsync(0);
    idle.abort();
    expect(await waitingNext).toEqual({ done: true, value: undefined });

    const busy = new AbortController();
    const throttled = feed.subscribe(busy.signal);
    await throttled.next();
    const first = throttled.next();
    await vi.advanceTimersByTimeAsync(0);
    feed.notify(["a"]);
    await first;
    const second = throttled.next();
    feed.notify(["b"]);
    await vi.advanceTimersByTimeAsync(INTERVAL / 2);
    busy.abort();
    // Ends without the rest of the interval passing (no timer is advanced here).
    expect(await second).toEqual({ done: true, value: undefined });
  });

  it("relays what writers here notify, and not what other instances relayed in", async () => {
    const feed = new ChangeFeed(INTERVAL);
    const relayed: string[][] = [];
    const watched: ChangedTrees[] = [];
    feed.relayTo((rootIds) => relayed.push([...rootIds]));
    feed.watch((changed) => watched.push(changed));
    const ac = new AbortController();
    const { seen, done } = record(feed, ac.signal);
    await vi.advanceTimersByTimeAsync(0);
    feed.notify(["here"]);
    feed.deliver(["elsewhere"]);
    await vi.advanceTimersByTimeAsync(INTERVAL);
    expect(relayed).toEqual([["here"]]);
    expect(watched).toEqual([["here"], ["elsewhere"]]);
    expect(seen.flatMap((notice) => notice.rootIds).sort()).toEqual(["elsewhere", "here"]);
    ac.abort();
    await done;
  });

  it("tells every subscriber to read everything, and every watcher to forget everything, when changes were lost", async () => {
    const feed = new ChangeFeed(INTERVAL);
    const watched: ChangedTrees[] = [];
    feed.watch((changed) => watched.push(changed));
    const ac = new AbortController();
    const { seen, done } = record(feed, ac.signal);
    await vi.advanceTimersByTimeAsync(1_000);
    feed.notify(["a"]);
    feed.deliverEverything();
    await vi.advanceTimersByTimeAsync(INTERVAL);
    // "a" was named in the same interval: the read of everything covers it.
    expect(seen).toEqual([
      { at: 0, rootIds: [] },
      { at: 1_000, rootIds: [] },
    ]);
    expect(watched).toEqual([["a"], "all"]);
    ac.abort();
    await done;
  });
});
