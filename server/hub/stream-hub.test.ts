import { describe, expect, it } from "vitest";
import { StreamHub } from "./stream-hub";

type Ev = { seq: number; fromSeq?: number; kind: "event" | "snapshot"; upTo?: number };

function makeHub(bufferSize = 10, maxQueue = 1000) {
  let published = 0;
  const hub = new StreamHub<Ev>({
    bufferSize,
    maxQueue,
    // The store's materialized state is complete up to the last published seq.
    snapshot: async () => ({ seq: published, kind: "snapshot", upTo: published }),
  });
  const publish = (n: number) => {
    for (let i = 0; i < n; i++) hub.publish("root", [{ seq: ++published, kind: "event" }]);
  };
  return { hub, publish };
}

/** Subscribes and yields single events, as a client unpacking each chunk does. */
async function* flat(chunks: AsyncGenerator<readonly Ev[]>): AsyncGenerator<Ev> {
  for await (const chunk of chunks) yield* chunk;
}

async function take(iter: AsyncGenerator<Ev>, n: number): Promise<Ev[]> {
  const out: Ev[] = [];
  while (out.length < n) {
    const { value, done } = await iter.next();
    if (done) break;
    out.push(value);
  }
  return out;
}

async function until(iter: AsyncGenerator<Ev>, seq: number): Promise<Ev[]> {
  const out: Ev[] = [];
  while (out.at(-1)?.seq !== seq) {
    const { value, done } = await iter.next();
    if (done) break;
    out.push(value);
  }
  return out;
}

describe("StreamHub", () => {
  it("starts a new subscriber with a snapshot, then the live tail", async () => {
    const { hub, publish } = makeHub();
    publish(3);
    const ac = new AbortController();
    const sub = flat(hub.subscribe("root", undefined, ac.signal));
    const first = await sub.next();
    expect(first.value).toEqual({ seq: 3, kind: "snapshot", upTo: 3 });
    publish(2);
    expect((await take(sub, 2)).map((e) => e.seq)).toEqual([4, 5]);
    expect(hub.subscriberCount("root")).toBe(1);
    ac.abort();
    await sub.return(undefined);
    expect(hub.subscriberCount("root")).toBe(0);
  });

  it("sends every subscriber a fresh snapshot on resync, then the live tail", async () => {
    const { hub, publish } = makeHub();
    publish(2);
    const ac = new AbortController();
    const sub = flat(hub.subscribe("root", 2, ac.signal));
    publish(1);
    expect((await sub.next()).value).toEqual({ seq: 3, kind: "event" });
    hub.resync("root");
    expect((await sub.next()).value).toEqual({ seq: 3, kind: "snapshot", upTo: 3 });
    publish(1);
    expect((await sub.next()).value).toEqual({ seq: 4, kind: "event" });
    ac.abort();
  });

  it("replays exactly the missed events from the buffer on reconnect", async () => {
    const { hub, publish } = makeHub(10);
    publish(8);
    const ac = new AbortController();
    const sub = flat(hub.subscribe("root", 5, ac.signal));
    expect((await take(sub, 3)).map((e) => [e.kind, e.seq])).toEqual([["event", 6], ["event", 7], ["event", 8]]);
    publish(1);
    expect((await sub.next()).value).toEqual({ seq: 9, kind: "event" });
    ac.abort();
  });

  it("sends a snapshot when the client is older than the buffer", async () => {
    const { hub, publish } = makeHub(4);
    publish(20);
    const ac = new AbortController();
    const sub = flat(hub.subscribe("root", 2, ac.signal));
    expect((await sub.next()).value).toEqual({ seq: 20, kind: "snapshot", upTo: 20 });
    ac.abort();
  });

  it("resyncs a subscriber that falls too far behind instead of queueing forever", async () => {
    const { hub, publish } = makeHub(10, 5);
    const ac = new AbortController();
    const sub = flat(hub.subscribe("root", undefined, ac.signal));
    await sub.next(); // snapshot at 0
    publish(50);
    const next = (await sub.next()).value;
    expect(next).toEqual({ seq: 50, kind: "snapshot", upTo: 50 });
    ac.abort();
  });

  it("never yields a duplicate or out-of-order event across many reconnects", async () => {
    const { hub, publish } = makeHub(64);
    let published = 0;
    const seen: number[] = [];
    let last: number | undefined;
    for (let round = 0; round < 50; round++) {
      const before = (round * 7) % 13;
      publish(before);
      const ac = new AbortController();
      const sub = flat(hub.subscribe("root", last, ac.signal));
      const during = (round * 5) % 9;
      publish(during);
      published += before + during;
      for (const e of await until(sub, published)) {
        if (e.kind === "snapshot") seen.splice(0, seen.length, ...Array.from({ length: e.seq }, (_, i) => i + 1));
        else seen.push(e.seq);
        last = e.seq;
      }
      ac.abort();
      await sub.return(undefined);
    }
    expect(seen).toEqual(Array.from({ length: published }, (_, i) => i + 1));
  });

  it("loads one snapshot for many viewers joining at once, and gives each what came after it", async () => {
    let loads = 0;
    let published = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const hub = new StreamHub<Ev>({
      bufferSize: 100,
      maxQueue: 1000,
      snapshot: async () => {
        loads++;
        const upTo = published; // read before the wait: later joiners get an older snapshot
        await gate;
        return { seq: upTo, kind: "snapshot", upTo };
      },
    });
    const publish = () => hub.publish("root", [{ seq: ++published, kind: "event" }]);
    publish();
    const ac = new AbortController();
    const early = flat(hub.subscribe("root", undefined, ac.signal));
    const earlyFirst = early.next();
    await Promise.resolve();
    publish(); // arrives while the snapshot loads, before the late viewer registers
    const late = flat(hub.subscribe("root", undefined, ac.signal));
    const lateFirst = late.next();
    release();
    expect((await earlyFirst).value).toMatchObject({ kind: "snapshot", seq: 1 });
    expect((await lateFirst).value).toMatchObject({ kind: "snapshot", seq: 1 });
    expect(loads).toBe(1);
    publish();
    expect((await take(early, 2)).map((e) => e.seq)).toEqual([2, 3]);
    expect((await take(late, 2)).map((e) => e.seq)).toEqual([2, 3]);
    ac.abort();
  });

  it("hands caught-up viewers the same chunk object, so it can be encoded once for all", async () => {
    const { hub } = makeHub();
    const ac = new AbortController();
    const a = hub.subscribe("root", undefined, ac.signal);
    const b = hub.subscribe("root", undefined, ac.signal);
    await a.next(); // snapshots
    await b.next();
    const events: Ev[] = [1, 2, 3].map((seq) => ({ seq, kind: "event" }));
    hub.publish("root", events);
    const [fromA, fromB] = [(await a.next()).value, (await b.next()).value];
    expect(fromA.map((e: Ev) => e.seq)).toEqual([1, 2, 3]);
    expect(fromA).toBe(fromB);
    expect(Object.isFrozen(fromA)).toBe(true);
    ac.abort();
  });

  it("resyncs with a snapshot when a published batch skips a seq (an event the store refused)", async () => {
    // The store has what was published but 3 (the one it refused).
    let stored = 0;
    const hub = new StreamHub<Ev>({ bufferSize: 10, maxQueue: 1000, snapshot: async () => ({ seq: stored, kind: "snapshot", upTo: stored }) });
    const ac = new AbortController();
    const sub = hub.subscribe("root", undefined, ac.signal);
    await sub.next(); // snapshot at 0
    stored = 4;
    hub.publish("root", [{ seq: 1, kind: "event" }, { seq: 2, kind: "event" }, { seq: 4, kind: "event" }]);
    expect((await sub.next()).value.map((e: Ev) => e.seq)).toEqual([1, 2]);
    expect((await sub.next()).value).toEqual([{ seq: 4, kind: "snapshot", upTo: 4 }]);
    ac.abort();
  });

  it("treats an event standing for several seqs (merged deltas) as covering them all", async () => {
    const { hub } = makeHub();
    const ac = new AbortController();
    const live = hub.subscribe("root", undefined, ac.signal);
    await live.next(); // snapshot at 0
    hub.publish("root", [{ seq: 1, kind: "event" }, { seq: 4, fromSeq: 2, kind: "event" }, { seq: 5, kind: "event" }]);
    expect((await live.next()).value.map((e: Ev) => e.seq)).toEqual([1, 4, 5]);
    // A viewer resuming from seq 1 replays the merged event from the buffer, without a snapshot.
    const resumed = hub.subscribe("root", 1, ac.signal);
    expect((await resumed.next()).value.map((e: Ev) => e.kind + e.seq)).toEqual(["event4", "event5"]);
    ac.abort();
  });

  it("bounds a stream's buffer by bytes as well as by count", async () => {
    const hub = new StreamHub<Ev & { text?: string }>({
      bufferSize: 1000,
      bufferBytes: 64 * 1024,
      maxQueue: 1000,
      snapshot: async () => ({ seq: 10, kind: "snapshot" }),
    });
    // Ten 16 KB events: more than 64 KB, far fewer than 1,000.
    for (let seq = 1; seq <= 10; seq++) hub.publish("root", [{ seq, kind: "event", text: "x".repeat(8 * 1024) }]);
    const ac = new AbortController();
    // The last events are still there for an exact resume...
    const recent = hub.subscribe("root", 8, ac.signal);
    expect((await recent.next()).value.map((e: Ev) => e.seq)).toEqual([9, 10]);
    // ...the early ones were let go: a client that far back starts from a snapshot.
    const old = hub.subscribe("root", 1, ac.signal);
    expect((await old.next()).value[0].kind).toBe("snapshot");
    ac.abort();
  });

  it("starts a crowd of viewers from one snapshot while the buffer continues it, and loads a new one once it does not", async () => {
    let published = 0;
    let loads = 0;
    const hub = new StreamHub<Ev>({
      bufferSize: 10_000,
      maxQueue: 10_000,
      snapshot: async () => (loads++, { seq: published, kind: "snapshot", upTo: published }),
    });
    const publish = (n: number) => {
      for (let i = 0; i < n; i++) hub.publish("root", [{ seq: ++published, kind: "event" }]);
    };
    const ac = new AbortController();
    publish(3);
    const first = hub.subscribe("root", undefined, ac.signal);
    const snapshot = (await first.next()).value;
    publish(2);
    // A later viewer gets the same snapshot (one load, one encoding) and what came after it.
    const second = hub.subscribe("root", undefined, ac.signal);
    expect((await second.next()).value).toBe(snapshot);
    expect((await take(flat(second), 2)).map((e) => e.seq)).toEqual([4, 5]);
    expect(loads).toBe(1);
    // Far enough behind, a newcomer gets a new snapshot rather than a long replay.
    publish(600);
    const third = flat(hub.subscribe("root", undefined, ac.signal));
    expect((await third.next()).value).toEqual({ seq: 605, kind: "snapshot", upTo: 605 });
    expect(loads).toBe(2);
    // The tree changed outside its events: no one starts from the snapshot held before.
    hub.resync("root");
    const fourth = flat(hub.subscribe("root", undefined, ac.signal));
    expect((await fourth.next()).value).toEqual({ seq: 605, kind: "snapshot", upTo: 605 });
    expect(loads).toBe(3);
    ac.abort();
  });

  it("does not keep a snapshot once the stream's last viewer has left", async () => {
    let loads = 0;
    const hub = new StreamHub<Ev>({ bufferSize: 100, maxQueue: 100, snapshot: async () => (loads++, { seq: 0, kind: "snapshot" }) });
    for (let i = 0; i < 2; i++) {
      const ac = new AbortController();
      const sub = hub.subscribe("root", undefined, ac.signal);
      await sub.next();
      ac.abort();
      await sub.return(undefined);
    }
    expect(loads).toBe(2);
  });

  it("lets a slow viewer fall back to a snapshot while a fast one gets every chunk", async () => {
    const { hub, publish } = makeHub(10_000, 20);
    const ac = new AbortController();
    const fast = flat(hub.subscribe("root", undefined, ac.signal));
    const slow = flat(hub.subscribe("root", undefined, ac.signal));
    await fast.next();
    await slow.next(); // both have the snapshot at 0; the slow one now reads nothing for a while
    for (let i = 0; i < 50; i++) {
      publish(1);
      expect((await fast.next()).value).toEqual({ seq: i + 1, kind: "event" });
    }
    // Its queue was dropped at 20 events, not kept growing: it resumes from a snapshot.
    expect((await slow.next()).value).toEqual({ seq: 50, kind: "snapshot", upTo: 50 });
    ac.abort();
  });

  it("releases a stream's buffer once its producer is done and its last viewer has left", async () => {
    const { hub, publish } = makeHub();
    publish(3);
    const ac = new AbortController();
    const viewer = flat(hub.subscribe("root", 3, ac.signal));
    const waiting = viewer.next();
    hub.release("root");
    // Still watched: kept, and still live.
    expect(hub.bufferedStreams()).toBe(1);
    publish(1);
    expect((await waiting).value).toEqual({ seq: 4, kind: "event" });
    hub.release("root");
    ac.abort();
    await viewer.return(undefined);
    expect(hub.bufferedStreams()).toBe(0);
    // A stream nobody watches goes at once; publishing again starts a new buffer.
    publish(1);
    expect(hub.bufferedStreams()).toBe(1);
    hub.release("root");
    expect(hub.bufferedStreams()).toBe(0);
  });

  it("loads the snapshot again, never sends it back to back, when the buffer after it skips seqs (an owner's lost events)", async () => {
    // The store ends at 3; the buffer holds 1..3 and then 10..11, the next owner's first events
    // (4..9 were lost with the owner that handed them out).
    let stored = 3;
    const hub = new StreamHub<Ev>({ bufferSize: 100, maxQueue: 1000, snapshot: async () => ({ seq: stored, kind: "snapshot", upTo: stored }) });
    for (const seq of [1, 2, 3, 10, 11]) hub.publish("root", [{ seq, kind: "event" }]);
    const ac = new AbortController();
    const received: string[] = [];
    const viewing = (async () => {
      for await (const event of flat(hub.subscribe("root", undefined, ac.signal))) {
        received.push(`${event.kind}@${event.seq}`);
        // Sent back to back, the same snapshot would never let this test's timers run.
        if (received.length > 5 || event.seq === 12) break;
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 600));
    stored = 11;
    await new Promise((resolve) => setTimeout(resolve, 300));
    hub.publish("root", [{ seq: 12, kind: "event" }]);
    await viewing;
    ac.abort();
    expect(received).toEqual(["snapshot@11", "event@12"]);
  });

  it("never rewinds a viewer to a snapshot older than what it shows: the store catching up is waited for", async () => {
    // The store is behind what was published (an owner changing hands): its first snapshots end
    // at seq 3 while the viewer resumes at 8, with nothing buffered (a new instance).
    let stored = 3;
    const loads: number[] = [];
    const hub = new StreamHub<Ev>({
      bufferSize: 10,
      maxQueue: 1000,
      snapshot: async () => {
        loads.push(stored);
        return { seq: stored, kind: "snapshot", upTo: stored };
      },
    });
    const ac = new AbortController();
    const iter = flat(hub.subscribe("root", 8, ac.signal));
    const first = iter.next();
    await new Promise((resolve) => setTimeout(resolve, 600));
    stored = 9;
    const { value } = await first;
    expect(value).toEqual({ seq: 9, kind: "snapshot", upTo: 9 });
    expect(loads.filter((seq) => seq === 3).length).toBeGreaterThan(1);
    ac.abort();
  });
});
