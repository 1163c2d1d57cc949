import { afterEach, expect, it } from "vitest";
import { log } from "~/server/log";
import { waitUntil } from "~/server/runtime/test-helpers";
import { runnerFence, FencedError } from "~/server/store/fence";
import { connectRedis, redisKeys, type Redis } from "./redis";
import { RunnerLeases } from "./runner-lease";
import { describeWithCluster, TEST_REDIS_URL, testKeyPrefix } from "~/server/testing/redis";

const quiet = log.child({ domain: "test" });
quiet.level = "silent";

(await describeWithCluster())("runner leases", (database) => {
  const open: { leases: RunnerLeases; redis: Redis }[] = [];
  afterEach(async () => {
    for (const { leases, redis } of open.splice(0)) {
      await leases.stop().catch(() => undefined);
      redis.disconnect();
    }
  });

  async function runner(name: string) {
    return database().client.runner.create({ data: { name, kind: "remote", url: "http://127.0.0.1:1" }, select: { id: true } });
  }

  function instance(prefix: string, instanceId: string, runnerIds: string[], events: string[]) {
    const redis = connectRedis(TEST_REDIS_URL, instanceId);
    const leases = new RunnerLeases({
      redis,
      keys: redisKeys(prefix),
      db: database().client,
      instanceId,
      ttlMs: 1_000,
      candidates: async () => runnerIds,
      onAcquired: (runnerId, epoch) => void events.push(`${instanceId} owns ${runnerId} at ${epoch}`),
      onLost: (runnerId) => void events.push(`${instanceId} lost ${runnerId}`),
      log: quiet,
    });
    open.push({ leases, redis });
    return { leases, redis };
  }

  it("gives each runner exactly one owner, whose epoch fences the others' writes", async () => {
    const { id } = await runner("lease-one");
    const prefix = testKeyPrefix();
    const events: string[] = [];
    const a = instance(prefix, "a", [id], events);
    const b = instance(prefix, "b", [id], events);
    await Promise.all([a.leases.start(), b.leases.start()]);
    await waitUntil(() => events.length > 0, 5_000, "an owner");
    expect(events).toHaveLength(1);
    const [owner, other] = a.leases.holds(id) ? [a, b] : [b, a];
    expect(other.leases.holds(id)).toBe(false);
    const epoch = owner.leases.epochOf(id)!;
    expect(await a.redis.get(redisKeys(prefix).runnerLease(id))).toBe(`${owner === a ? "a" : "b"} ${epoch}`);
    // The owner's fence passes; a former epoch's is refused inside the transaction.
    const db = database().client;
    await db.$transaction((tx) => runnerFence(id, epoch)(tx));
    await expect(db.$transaction((tx) => runnerFence(id, epoch - 1)(tx))).rejects.toBeInstanceOf(FencedError);
    // Renewals keep it: after several lease times, still one owner and no change.
    await new Promise((r) => setTimeout(r, 2_500));
    expect(events).toHaveLength(1);
  });

  it("hands the runner over at once on a clean stop, and within the lease time when the owner goes silent", async () => {
    const { id } = await runner("lease-two");
    const prefix = testKeyPrefix();
    const events: string[] = [];
    const a = instance(prefix, "a", [id], events);
    await a.leases.start();
    expect(a.leases.holds(id)).toBe(true);
    const first = a.leases.epochOf(id)!;
    const b = instance(prefix, "b", [id], events);
    await b.leases.start();
    expect(b.leases.holds(id)).toBe(false);

    await a.leases.stop();
    await waitUntil(() => b.leases.holds(id), 3_000, "b to take over after a's clean stop");
    expect(b.leases.epochOf(id)).toBe(first + 1);

    // b goes silent (its process paused or died): its lease lapses and c takes over; b's
    // writes are refused from then on.
    const c = instance(prefix, "c", [id], events);
    await c.leases.start();
    b.redis.disconnect();
    const silentEpoch = b.leases.epochOf(id)!;
    await waitUntil(() => c.leases.holds(id), 5_000, "c to take over from the silent b");
    expect(c.leases.epochOf(id)).toBe(silentEpoch + 1);
    await expect(database().client.$transaction((tx) => runnerFence(id, silentEpoch)(tx))).rejects.toBeInstanceOf(FencedError);
    await waitUntil(() => !b.leases.holds(id), 3_000, "b to give the runner up");
  });

  it("keeps its lease and epoch when Redis loses the key (a restart) and nobody took it meanwhile", async () => {
    const { id } = await runner("lease-three");
    const prefix = testKeyPrefix();
    const events: string[] = [];
    const a = instance(prefix, "a", [id], events);
    await a.leases.start();
    const epoch = a.leases.epochOf(id);
    await a.redis.del(redisKeys(prefix).runnerLease(id));
    await new Promise((r) => setTimeout(r, 1_000));
    expect(a.leases.epochOf(id)).toBe(epoch);
    expect(await a.redis.get(redisKeys(prefix).runnerLease(id))).toBe(`a ${epoch}`);
    expect(events).toEqual([`a owns ${id} at ${epoch}`]);
  });
});
