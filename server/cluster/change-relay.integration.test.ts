import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, expect, it } from "vitest";
import { ChangeFeed, type ChangedTrees } from "~/server/hub/change-feed";
import { waitUntil } from "~/server/runtime/test-helpers";
import { describeWithRedis, recordingLog, TEST_REDIS_URL, testKeyPrefix } from "~/server/testing/redis";
import { ChangeRelay } from "./change-relay";
import { connectRedis, redisKeys, type Redis } from "./redis";

const describeRedis = await describeWithRedis();

describeRedis("ChangeRelay: the dashboards' change feed across instances", () => {
  const connections: Redis[] = [];
  const relays: ChangeRelay[] = [];
  afterEach(() => {
    for (const relay of relays.splice(0)) relay.close();
    for (const redis of connections.splice(0)) redis.disconnect();
  });

  /** One instance: its feed, a dashboard subscribed to it and a cache watching it. */
  async function instance(id: string, keys: ReturnType<typeof redisKeys>) {
    const connect = (name: string) => {
      const redis = connectRedis(TEST_REDIS_URL, name);
      connections.push(redis);
      return redis;
    };
    const feed = new ChangeFeed(50);
    const relay = new ChangeRelay(feed, { redis: connect(`${id}-main`), connect, keys, instanceId: id, log: recordingLog() });
    relays.push(relay);
    await relay.ready();
    const watched: ChangedTrees[] = [];
    feed.watch((changed) => watched.push(changed));
    const noticed: string[][] = [];
    const ac = new AbortController();
    void (async () => {
      for await (const notice of feed.subscribe(ac.signal)) noticed.push(notice.rootIds);
    })();
    await waitUntil(() => noticed.length === 1, 2_000, "the first notice");
    return { feed, watched, noticed, ac };
  }

  it("tells every instance's dashboards and caches once of a change made on one", async () => {
    const keys = redisKeys(testKeyPrefix());
    const [a, b, c] = [await instance("a", keys), await instance("b", keys), await instance("c", keys)];
    a.feed.notify(["tree-1", "tree-2"]);
    for (const i of [a, b, c]) await waitUntil(() => i.noticed.length === 2, 5_000, "the change relayed");
    // Long enough for an echo (a relayed message published again) to come back.
    await sleep(300);
    for (const i of [a, b, c]) {
      expect(i.watched).toEqual([["tree-1", "tree-2"]]);
      expect(i.noticed).toEqual([[], ["tree-1", "tree-2"]]);
    }

    b.feed.notify(["tree-3"]);
    for (const i of [a, b, c]) await waitUntil(() => i.noticed.length === 3, 5_000, "b's change relayed");
    await sleep(300);
    for (const i of [a, b, c]) expect(i.watched).toEqual([["tree-1", "tree-2"], ["tree-3"]]);
    for (const i of [a, b, c]) i.ac.abort();
  });

  it("keeps deployments with different prefixes apart", async () => {
    const [a, other] = [await instance("a", redisKeys(testKeyPrefix())), await instance("b", redisKeys(testKeyPrefix()))];
    a.feed.notify(["tree-1"]);
    await waitUntil(() => a.noticed.length === 2, 5_000, "a's own notice");
    await sleep(300);
    expect(other.watched).toEqual([]);
    for (const i of [a, other]) i.ac.abort();
  });

  it("has the dashboards of an instance that lost Redis read everything again once it is back", async () => {
    const keys = redisKeys(testKeyPrefix());
    const [a, b] = [await instance("a", keys), await instance("b", keys)];
    const admin = connections[0]!;
    const clients = (await admin.client("LIST")) as string;
    const id = clients
      .split("\n")
      .find((line) => line.includes(` name=flightdeck:b:${keys.changesChannel} `))
      ?.match(/\bid=(\d+)/)?.[1];
    expect(id).toBeDefined();
    await admin.client("KILL", "ID", id!);
    await waitUntil(() => b.noticed.length === 2, 10_000, "b's notice after reconnecting");
    expect(b.noticed).toEqual([[], []]);
    expect(b.watched).toEqual(["all"]);
    expect(a.watched).toEqual([]);
    // And b hears changes again.
    a.feed.notify(["tree-1"]);
    await waitUntil(() => b.noticed.length === 3, 5_000, "a's change relayed after the reconnection");
    for (const i of [a, b]) i.ac.abort();
  });
});
