import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, beforeEach, expect, it } from "vitest";
import { waitUntil } from "~/server/runtime/test-helpers";
import { describeWithRedis, privateRedis, recordingLog, TEST_REDIS_URL, testKeyPrefix } from "~/server/testing/redis";
import { settledWithin } from "./deadline";
import { connectRedis, deleteKeys, redisKeys, type Redis, type RedisKeys } from "./redis";
import { RedisLiveStreams } from "./redis-live-streams";

type Ev = { seq: number; fromSeq?: number; kind: "event" | "snapshot"; by?: string };

const KEY = "runner-1:root-1";
const RUNNER = "runner-1";

/**
 * Instances of one deployment, in one process, each with connections of its own. The store
 * (what snapshots read) is complete up to `stored`, as the real loader waits for it to be.
 */
function cluster(url: string) {
  const prefix = testKeyPrefix();
  const keys: RedisKeys = redisKeys(prefix);
  const connections: Redis[] = [];
  const connect = (name: string) => {
    const redis = connectRedis(url, name);
    redis.on("error", () => {}); // a Redis killed on purpose
    connections.push(redis);
    return redis;
  };
  const admin = connect("test-admin");
  const state = { stored: 0 };
  const tokens = new Map<string, string>();
  const instances: RedisLiveStreams<Ev>[] = [];

  function instance(id: string, options: { bufferSize?: number; window?: number } = {}) {
    const log = recordingLog();
    const redis = connect(`${id}-main`);
    const streams = new RedisLiveStreams<Ev>({
      redis,
      connect,
      keys,
      instanceId: id,
      window: options.window,
      local: { bufferSize: options.bufferSize ?? 1_000, maxQueue: 10_000, snapshot: async () => ({ seq: state.stored, kind: "snapshot" }) },
      fenceOf: () => {
        const token = tokens.get(id);
        return token === undefined ? undefined : { leaseKey: keys.runnerLease(RUNNER), token };
      },
      log,
      lingerMs: 300,
    });
    instances.push(streams);
    return { id, streams, log, redis };
  }

  /** `id` takes the runner's lease (as the lease part does) with this epoch. */
  async function own(id: string, epoch: number) {
    const token = `${id} ${epoch}`;
    await admin.set(keys.runnerLease(RUNNER), token);
    tokens.set(id, token);
  }

  /** `id` lost the runner's lease (its lease part noticed another instance holds it). */
  function lose(id: string) {
    tokens.delete(id);
  }

  /** Publishes seqs from..to, `perChunk` at a time, as the owner's bridge does; they are stored at once. */
  function publish(streams: RedisLiveStreams<Ev>, from: number, to: number, perChunk = 1, by = "owner") {
    for (let seq = from; seq <= to; seq += perChunk) {
      const chunk: Ev[] = [];
      for (let s = seq; s < seq + perChunk && s <= to; s++) chunk.push({ seq: s, kind: "event", by });
      streams.publish(KEY, chunk);
    }
    state.stored = Math.max(state.stored, to);
  }

  async function close() {
    await Promise.all(instances.map((i) => i.close()));
    // Every key of the test goes; bounded, as a test may end with its Redis killed.
    await settledWithin(deleteKeys(admin, prefix), 1_000);
    for (const redis of connections) redis.disconnect();
  }

  /** Every connection of every instance is up again (each one reconnecting resyncs its viewers). */
  const reconnected = () => connections.every((redis) => redis.status === "ready");

  return { keys, admin, state, instance, own, lose, publish, close, reconnected };
}

/** A browser tab: subscribes and keeps every chunk it gets. */
function viewer(streams: RedisLiveStreams<Ev>, lastSeq?: number, key = KEY) {
  const ac = new AbortController();
  const chunks: Ev[][] = [];
  const done = (async () => {
    for await (const chunk of streams.subscribe(key, lastSeq, ac.signal)) chunks.push([...chunk]);
  })();
  const events = () => chunks.flat();
  return {
    chunks,
    events,
    seqs: () => events().map((e) => (e.kind === "snapshot" ? `snapshot@${e.seq}` : e.seq)),
    /** Waits until it has seen `seq` (an event or a snapshot that far). */
    async reaches(seq: number, ms = 10_000) {
      await waitUntil(() => events().some((e) => e.seq >= seq), ms, `a viewer reaching seq ${seq}`);
    },
    async stop() {
      ac.abort();
      await done;
    },
  };
}

/** Tabs opened before anything is published: each starts from the (empty) snapshot. */
async function opened(...viewers: ReturnType<typeof viewer>[]) {
  for (const v of viewers) await v.reaches(0);
  return viewers;
}

/** What a client rebuilding state from its messages would notice: a gap or a duplicate. */
function expectExact(events: Ev[]) {
  let cursor: number | undefined;
  for (const event of events) {
    if (event.kind === "snapshot") cursor = event.seq;
    else {
      expect(cursor, `event ${event.seq} before any snapshot or resume point`).toBeDefined();
      expect(event.fromSeq ?? event.seq, `event after ${cursor}`).toBe(cursor! + 1);
      cursor = event.seq;
    }
  }
}

const describeRedis = await describeWithRedis();

describeRedis("RedisLiveStreams: live streams shared by instances through Redis", () => {
  let c: ReturnType<typeof cluster>;
  beforeEach(() => {
    c = cluster(TEST_REDIS_URL);
  });
  afterEach(async () => c.close());

  it("gives viewers on every instance the same chunks, and a late viewer exactly what it missed", async () => {
    const [a, b, cc] = [c.instance("a"), c.instance("b"), c.instance("c")];
    await c.own("a", 1);
    const viewers = await opened(viewer(a.streams), viewer(b.streams), viewer(cc.streams));

    c.publish(a.streams, 1, 20, 4);
    for (const v of viewers) await v.reaches(20);
    for (const v of viewers) {
      expect(v.chunks).toEqual([[{ seq: 0, kind: "snapshot" }], ...[1, 5, 9, 13, 17].map((s) => [0, 1, 2, 3].map((i) => ({ seq: s + i, kind: "event", by: "owner" })))]);
    }

    // A tab that reconnects on an instance it never used, with the last id it had.
    const late = viewer(cc.streams, 10);
    c.publish(a.streams, 21, 22);
    await late.reaches(22);
    expect(late.seqs()).toEqual([11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22]);
    // A tab on an instance that followed nothing yet: the window comes from Redis.
    const d = c.instance("d");
    const fresh = viewer(d.streams, 15);
    await fresh.reaches(22);
    expect(fresh.seqs()).toEqual([16, 17, 18, 19, 20, 21, 22]);
    for (const v of [...viewers, late, fresh]) await v.stop();
    expect(a.log.warnings).toEqual([]);
  });

  it("delivers at once the first events of a tree followed while the reader waits on others", async () => {
    const [a, b] = [c.instance("a"), c.instance("b")];
    await c.own("a", 1);
    const [other] = await opened(viewer(b.streams));
    // b's reader now blocks (5 s at a time) on the first tree; a second tree joins it.
    await sleep(200);
    const [second] = await opened(viewer(b.streams, undefined, "runner-1:root-2"));
    const sent = Date.now();
    a.streams.publish("runner-1:root-2", [{ seq: 1, kind: "event" }]);
    await second!.reaches(1, 5_000);
    expect(Date.now() - sent).toBeLessThan(1_000);
    await other!.stop();
    await second!.stop();
  });

  it("gives a viewer further behind than the window a snapshot, then the tail", async () => {
    const a = c.instance("a", { window: 10 });
    await c.own("a", 1);
    c.publish(a.streams, 1, 300);
    // Appends are fire and forget: wait for them through a viewer.
    const first = viewer(a.streams, 299);
    await first.reaches(300);
    // The stream is bounded (MAXLEN ~ trims whole nodes of 100 entries, so about the window).
    expect(await c.admin.xlen(c.keys.treeStream(KEY))).toBeLessThan(300);

    const b = c.instance("b", { bufferSize: 10 });
    const behind = viewer(b.streams, 5);
    await behind.reaches(300);
    c.publish(a.streams, 301, 303);
    await behind.reaches(303);
    expect(behind.seqs()).toEqual(["snapshot@300", 301, 302, 303]);
    await first.stop();
    await behind.stop();
  });

  it("refuses the appends of an owner that lost its lease: no viewer sees them", async () => {
    const [a, b] = [c.instance("a"), c.instance("b")];
    await c.own("a", 1);
    const [watching] = await opened(viewer(b.streams));
    c.publish(a.streams, 1, 3);
    await watching!.reaches(3);

    await c.own("b", 2); // a paused, and b took the runner over
    c.publish(a.streams, 4, 5, 1, "old owner");
    await waitUntil(() => a.log.warnings.some((w) => w.includes("no longer this instance's")), 5_000, "the refusal");
    // c never owned the runner.
    const cc = c.instance("c");
    c.publish(cc.streams, 4, 4, 1, "not the owner");
    expect(cc.log.warnings.some((w) => w.includes("does not own"))).toBe(true);
    await sleep(200);
    expect(await c.admin.xlen(c.keys.treeStream(KEY))).toBe(3);
    expect(watching!.seqs()).toEqual(["snapshot@0", 1, 2, 3]);
    await watching!.stop();
  });

  it("moves viewers of an owner that changed to a snapshot, then the new owner's events", async () => {
    const [a, b, cc] = [c.instance("a"), c.instance("b"), c.instance("c")];
    await c.own("a", 1);
    const viewers = await opened(viewer(a.streams), viewer(b.streams), viewer(cc.streams));
    c.publish(a.streams, 1, 5);
    for (const v of viewers) await v.reaches(5);

    // The new owner seeds from the archive and continues above every reserved seq.
    await c.own("b", 2);
    c.state.stored = 10_000;
    c.publish(b.streams, 10_001, 10_002, 1, "new owner");
    for (const v of viewers) await v.reaches(10_002);
    c.publish(b.streams, 10_003, 10_004, 2, "new owner");
    for (const v of viewers) await v.reaches(10_004);
    for (const v of viewers) {
      const seqs = v.seqs();
      expect(seqs.slice(0, 6)).toEqual(["snapshot@0", 1, 2, 3, 4, 5]);
      // The jump: a snapshot (whatever the store held when it was read), never a silent gap.
      expect(String(seqs[6])).toMatch(/^snapshot@1000[0-2]$/);
      expect(seqs.slice(-2)).toEqual([10_003, 10_004]);
      expectExact(v.events());
    }
    for (const v of viewers) await v.stop();
  });

  it("resyncs the viewers of every instance when any instance asks", async () => {
    const [a, b, cc] = [c.instance("a"), c.instance("b"), c.instance("c")];
    await Promise.all([a, b, cc].map((i) => i.streams.ready()));
    await c.own("a", 1);
    const viewers = await opened(viewer(a.streams), viewer(b.streams), viewer(cc.streams));
    c.publish(a.streams, 1, 2);
    for (const v of viewers) await v.reaches(2);

    cc.streams.resync(KEY); // a revert on an instance that does not own the runner
    for (const v of viewers) await waitUntil(() => v.seqs().includes("snapshot@2"), 5_000, "the resync snapshot");
    c.publish(a.streams, 3, 3);
    for (const v of viewers) {
      await v.reaches(3);
      expect(v.seqs()).toEqual(["snapshot@0", 1, 2, "snapshot@2", 3]);
    }
    for (const v of viewers) await v.stop();
  });

  it("drops a tree's stream on every instance when any instance asks", async () => {
    const [a, b] = [c.instance("a"), c.instance("b")];
    await Promise.all([a, b].map((i) => i.streams.ready()));
    await c.own("a", 1);
    const [watching] = await opened(viewer(a.streams));
    c.publish(a.streams, 1, 3);
    await watching!.reaches(3);
    b.streams.drop(KEY);
    await waitUntil(async () => (await c.admin.exists(c.keys.treeStream(KEY))) === 0, 5_000, "the stream deleted");
    // A's buffer went too: a tab resuming from 1 there starts over from a snapshot.
    await waitUntil(async () => {
      const probe = viewer(a.streams, 1);
      await probe.reaches(2, 2_000).catch(() => {});
      const got = probe.seqs()[0];
      await probe.stop();
      return got === "snapshot@3";
    }, 5_000, "a's buffer dropped");
    await watching!.stop();
  });

  it("counts on the owner the viewers of every instance, and forgets those of an instance gone", async () => {
    const [a, b, cc] = [c.instance("a"), c.instance("b"), c.instance("c")];
    await c.own("a", 1);
    expect(a.streams.subscriberCount(KEY)).toBe(0);
    const onB = [viewer(b.streams), viewer(b.streams)];
    const onC = viewer(cc.streams);
    const onA = viewer(a.streams);
    await waitUntil(() => a.streams.subscriberCount(KEY) === 4, 5_000, "4 viewers counted on the owner");

    await onA.stop();
    await onC.stop();
    await waitUntil(() => a.streams.subscriberCount(KEY) === 2, 5_000, "the viewers that left uncounted");

    // b dies without a word (as under SIGKILL): its counts are no longer refreshed.
    b.redis.disconnect();
    const died = Date.now();
    await waitUntil(() => a.streams.subscriberCount(KEY) === 0, 10_000, "a dead instance's viewers uncounted");
    expect(Date.now() - died).toBeLessThan(6_000);
    for (const v of onB) await v.stop();
  });

  it("forgets the viewers of an instance that closes at once", async () => {
    const [a, b] = [c.instance("a"), c.instance("b")];
    const onB = viewer(b.streams);
    await waitUntil(() => a.streams.subscriberCount(KEY) === 1, 5_000, "b's viewer counted");
    await b.streams.close();
    await waitUntil(() => a.streams.subscriberCount(KEY) === 0, 2_500, "b's viewer uncounted");
    await onB.stop();
  });
});

/** Owner a and instance b, a viewer on each, seqs 1..5 seen by both. */
async function watchedOnTwo(c: ReturnType<typeof cluster>) {
  const [a, b] = [c.instance("a"), c.instance("b")];
  await Promise.all([a, b].map((i) => i.streams.ready()));
  await c.own("a", 1);
  const viewers = await opened(viewer(a.streams), viewer(b.streams));
  c.publish(a.streams, 1, 5);
  for (const v of viewers) await v.reaches(5);
  return { a, b, viewers };
}

type TestCluster = ReturnType<typeof cluster>;
type PrivateRedis = Awaited<ReturnType<typeof privateRedis>>;

/** `test` with instances on a Redis of its own, which it may kill. */
async function onPrivateRedis(test: (c: TestCluster, redis: PrivateRedis) => Promise<void>) {
  const redis = await privateRedis();
  await redis.start();
  const c = cluster(redis.url);
  try {
    await test(c, redis);
  } finally {
    await c.close();
    await redis.kill();
  }
}

/**
 * Two instances watched, `a` the owner; Redis restarts, every viewer resyncs at 5, then `a`
 * publishes the turn's last events, 6 to 8, which the restarted Redis refuses: no lease key yet.
 */
async function lastEventsRefusedAfterRestart(c: TestCluster, redis: PrivateRedis) {
  const watched = await watchedOnTwo(c);
  await redis.kill();
  await redis.start();
  await waitUntil(c.reconnected, 10_000, "every connection back");
  await waitUntil(() => watched.viewers.every((v) => v.seqs().includes("snapshot@5")), 10_000, "every viewer resynced");
  c.publish(watched.a.streams, 6, 8);
  await waitUntil(() => watched.a.log.warnings.some((w) => w.includes("no longer this instance's")), 5_000, "the refusal");
  return watched;
}

describeRedis("RedisLiveStreams when Redis goes away", () => {
  it("resyncs the viewers of an instance whose connection dropped, without a duplicate", async () => {
    const c = cluster(TEST_REDIS_URL);
    try {
      const { a, viewers } = await watchedOnTwo(c);

      // Redis stays up with the stream; only b's connections drop (a network blip).
      const clients = (await c.admin.client("LIST")) as string;
      const ids = clients
        .split("\n")
        .filter((line) => / name=b-main | name=flightdeck:b:/.test(line))
        .map((line) => /\bid=(\d+)/.exec(line)![1]!);
      expect(ids.length).toBe(3);
      for (const id of ids) await c.admin.client("KILL", "ID", id);
      await waitUntil(() => viewers[1]!.seqs().filter((s) => s === "snapshot@5").length > 0, 10_000, "b's viewer resynced");
      // b's connections reconnect apart (backoff), each resyncing: one back after the events
      // below may serve them as a snapshot instead (the same state).
      await waitUntil(c.reconnected, 5_000, "every connection back");
      c.publish(a.streams, 6, 7);
      for (const v of viewers) await v.reaches(7);
      expect(viewers[0]!.seqs()).toEqual(["snapshot@0", 1, 2, 3, 4, 5, 6, 7]);
      // b read its stream again from the start: what it had was not handed on twice.
      const events = viewers[1]!.seqs().filter((s) => typeof s === "number");
      expect(events.slice(0, 5)).toEqual([1, 2, 3, 4, 5]);
      expect(new Set(events).size).toBe(events.length);
      expect(viewers[1]!.events().at(-1)!.seq).toBe(7);
      expectExact(viewers[1]!.events());
      for (const v of viewers) await v.stop();
    } finally {
      await c.close();
    }
  });

  it("delivers what the owner published before its lease was back in a restarted Redis, with nothing published after", () =>
    onPrivateRedis(async (c, redis) => {
      const { viewers } = await lastEventsRefusedAfterRestart(c, redis);
      await sleep(600);
      expect(viewers.map((v) => v.events().at(-1)!.seq)).toEqual([5, 5]);
      await c.own("a", 1); // the lease part takes the runner back, same epoch
      for (const v of viewers) {
        await v.reaches(8);
        expect(v.seqs().slice(-4)).toEqual(["snapshot@5", 6, 7, 8]);
        expectExact(v.events());
      }
      for (const v of viewers) await v.stop();
    }));

  it("resyncs every viewer when the owner loses the lease holding events Redis never took, though the next owner publishes nothing", () =>
    onPrivateRedis(async (c, redis) => {
      const { viewers } = await lastEventsRefusedAfterRestart(c, redis);
      // Another instance takes the runner, and finds nothing the store lacks.
      await c.own("b", 2);
      c.lose("a");
      for (const v of viewers) {
        await v.reaches(8);
        expect(v.seqs().at(-1)).toBe("snapshot@8");
        expectExact(v.events());
      }
      for (const v of viewers) await v.stop();
    }));

  it("resyncs every viewer, then delivers what is published after; nothing hangs", () =>
    onPrivateRedis(async (c, redis) => {
      const { a, b, viewers } = await watchedOnTwo(c);

      await redis.kill();
      await waitUntil(() => a.redis.status !== "ready", 5_000, "a noticing Redis gone");
      // Published while Redis is away: stored, not appended (held back with a warning).
      c.publish(a.streams, 6, 8);
      expect(a.log.warnings.some((w) => w.includes("Redis is unreachable"))).toBe(true);
      await sleep(300);
      await redis.start();
      await c.own("a", 2); // the lease part takes the runner again
      await waitUntil(() => viewers.every((v) => v.seqs().some((s) => s === "snapshot@8")), 15_000, "every viewer resynced");
      // The reader and the subscriber of an instance reconnect apart (backoff up to 1 s), and
      // each resyncs; one coming after the events below may serve them as a snapshot instead.
      await waitUntil(c.reconnected, 5_000, "every connection back");
      c.publish(a.streams, 9, 12);
      for (const v of viewers) {
        await v.reaches(12, 15_000);
        expect(v.seqs().slice(0, 6)).toEqual(["snapshot@0", 1, 2, 3, 4, 5]);
        expect(v.events().at(-1)!.seq).toBe(12);
        expectExact(v.events());
      }
      for (const v of viewers) await v.stop();

      // Shutting down while Redis is away again does not wait for it.
      await redis.kill();
      const closing = Date.now();
      await Promise.all([a, b].map((i) => i.streams.close()));
      expect(Date.now() - closing).toBeLessThan(3_000);
    }));
});
