import { Redis } from "ioredis";

export type { Redis };

/**
 * A connection to the Redis the instances share. It reconnects by itself (backoff capped at
 * 1 s); commands issued while Redis is away wait for it instead of failing, so callers that
 * must not wait put their own deadline on them.
 *
 * `subscribesLater`: a pub/sub connection that subscribes to more channels at any time (an
 * owner serving a runner it just took over). It skips ioredis's ready check: ioredis 5.11 can
 * send that check's INFO after a SUBSCRIBE issued while it reconnects; Redis refuses INFO in
 * subscriber mode and ioredis counts the ready check failed (ioredis issue 2037). A test's
 * Redis restart once ended that way, and then no instance answered for the runner. Pub/sub
 * does not need Redis's data loaded.
 */
export function connectRedis(url: string, name: string, { subscribesLater = false } = {}): Redis {
  return new Redis(url, {
    connectionName: name,
    maxRetriesPerRequest: null,
    retryStrategy: (attempt) => Math.min(100 * attempt, 1000),
    ...(subscribesLater ? { enableReadyCheck: false, disableClientInfo: true } : {}),
  });
}

/**
 * Calls `callback` each time the connection is ready again after losing Redis (not on its first
 * connection): what was published on a channel, or appended, meanwhile may never arrive, and a
 * Redis that restarted lost everything. Returns a function that stops listening.
 */
export function onReconnected(redis: Redis, callback: () => void): () => void {
  let connected = redis.status === "ready";
  const onReady = () => {
    if (connected) callback();
    connected = true;
  };
  redis.on("ready", onReady);
  return () => redis.off("ready", onReady);
}

/**
 * Every key and channel of one Flightdeck deployment, under one prefix (`FLIGHTDECK_REDIS_PREFIX`,
 * default `fd:`), so two deployments, or two test suites, can share a Redis.
 */
export function redisKeys(prefix: string) {
  return {
    /** The lease on a runner: `<instanceId> <epoch>`; only its holder reads the runner's events. */
    runnerLease: (runnerId: string) => `${prefix}lease:runner:${runnerId}`,
    /** The live events of one tree (a hub stream key), as a Redis Stream. */
    treeStream: (streamKey: string) => `${prefix}stream:${streamKey}`,
    /** Viewers of one tree per instance (a hash: instance id → count). */
    treeViewers: (streamKey: string) => `${prefix}viewers:${streamKey}`,
    /** Pub/sub: requests to the owner of a runner (only the owner listens). */
    ownerRequests: (runnerId: string) => `${prefix}rpc:runner:${runnerId}`,
    /** Pub/sub: answers to the requests one instance sent. */
    ownerReplies: (instanceId: string) => `${prefix}rpc:reply:${instanceId}`,
    /** Pub/sub: which trees changed (the dashboards' change feed), from every instance. */
    changesChannel: `${prefix}changes`,
    /** Pub/sub: resync or drop a tree's stream on every instance. */
    hubChannel: `${prefix}hub`,
    /** A Redis Stream an instance appends to, to wake its own blocked stream reader. */
    tailerWake: (instanceId: string) => `${prefix}wake:${instanceId}`,
  };
}

export type RedisKeys = ReturnType<typeof redisKeys>;

/** Deletes every key under `prefix` (a test's or a bench run's own), so a shared Redis keeps nothing of it. */
export async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
  let cursor = "0";
  do {
    const [next, found] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1_000);
    if (found.length > 0) await redis.del(...found);
    cursor = next;
  } while (cursor !== "0");
}
