import os from "node:os";
import { randomBytes } from "node:crypto";
import { errorMessage } from "~/server/archive/errors";
import type { ArchiveService, SyncReason } from "~/server/archive/service";
import type { BridgeManager, RunnerLink } from "~/server/bridge/manager";
import { activeSessionsWhere } from "~/server/bridge/directory-bridge";
import { parseStreamKey } from "~/server/bridge/stream-key";
import type { PrismaClient } from "~/server/generated/prisma/client";
import type { InstanceHealth } from "~/server/health/check";
import type { HubOptions } from "~/server/hub/stream-hub";
import type { Logger } from "~/server/log";
import type { SessionEvent } from "~/server/stream";
import { runnerFence, type Fence } from "~/server/store/fence";
import type { ChangeFeed } from "~/server/hub/change-feed";
import { ChangeRelay } from "./change-relay";
import { ClusterBridges } from "./cluster-bridges";
import { ownerHandlers } from "./owner-handlers";
import { OwnerRpc } from "./owner-rpc";
import { connectRedis, redisKeys, type Redis } from "./redis";
import { RedisLiveStreams } from "./redis-live-streams";
import { RunnerLeases } from "./runner-lease";

export type ClusterOptions = {
  url: string;
  prefix: string;
  instanceId?: string;
  leaseMs: number;
  db: PrismaClient;
  log: Logger;
};

/** What the cluster needs from the rest of the services, known only once they are built. */
export type ClusterDeps = {
  bridges: BridgeManager;
  archive: ArchiveService;
  link(runnerId: string): Promise<RunnerLink | undefined>;
  /** Runners this instance can reach: the ones it may own. */
  candidates(): Promise<string[]>;
};


/**
 * Several instances sharing one PostgreSQL and one Redis (REDIS_URL): the parts that differ from
 * one process. One instance owns each runner (RunnerLeases) and alone reads its events and
 * writes them (fenced); viewers on every instance read them from Redis (RedisLiveStreams);
 * commands reach the owner (ClusterBridges, OwnerRpc). See README.md here.
 */
export class Cluster {
  readonly instanceId: string;
  readonly keys: ReturnType<typeof redisKeys>;
  private readonly redis: Redis;
  private readonly connections: Redis[] = [];
  private deps: ClusterDeps | undefined;
  /** Catch-ups of runners this instance just took over, until they end. */
  private readonly takeovers = new Map<string, Promise<void>>();
  private streams: RedisLiveStreams<SessionEvent> | undefined;
  private relay: ChangeRelay | undefined;
  readonly leases: RunnerLeases;
  readonly rpc: OwnerRpc;

  constructor(private readonly options: ClusterOptions) {
    this.instanceId = options.instanceId ?? `${os.hostname()}-${process.pid}-${randomBytes(3).toString("hex")}`;
    this.keys = redisKeys(options.prefix);
    this.redis = this.connect("commands");
    this.leases = new RunnerLeases({
      redis: this.redis,
      keys: this.keys,
      db: options.db,
      instanceId: this.instanceId,
      ttlMs: options.leaseMs,
      candidates: () => this.deps?.candidates() ?? Promise.resolve([]),
      // Not awaited by the leases (their renewals must not wait on a runner's catch-up);
      // whoever needs the runner caught up waits for it (ready).
      onAcquired: (runnerId) => void this.takeovers.set(runnerId, this.takeOver(runnerId)),
      onLost: (runnerId) => this.letGo(runnerId),
      log: options.log,
    });
    this.rpc = new OwnerRpc({
      redis: this.redis,
      subscriber: this.connect("owner-rpc", { subscribesLater: true }),
      keys: this.keys,
      instanceId: this.instanceId,
      log: options.log,
      handlers: ownerHandlers({
        holds: (runnerId) => this.leases.holds(runnerId),
        ready: (runnerId) => this.ready(runnerId),
        link: (runnerId) => this.need().link(runnerId),
        bridges: () => this.need().bridges,
        syncSession: (sessionId, reason) => this.need().archive.syncSession(sessionId, reason),
      }),
    });
  }

  private connect(role: string, options?: { subscribesLater?: boolean }): Redis {
    const connection = connectRedis(this.options.url, `flightdeck:${this.instanceId}:${role}`, options);
    connection.on("error", (error: Error) => this.options.log.warn(`[cluster] Redis (${role}): ${error.message}`));
    this.connections.push(connection);
    return connection;
  }

  private need(): ClusterDeps {
    if (!this.deps) throw new Error("The cluster is not started yet.");
    return this.deps;
  }

  /** The live streams of every tree, served on this instance from Redis. */
  liveStreams(local: HubOptions<SessionEvent>): RedisLiveStreams<SessionEvent> {
    this.streams = new RedisLiveStreams<SessionEvent>({
      redis: this.redis,
      connect: (role) => this.connect(role),
      keys: this.keys,
      instanceId: this.instanceId,
      window: local.bufferSize,
      local,
      fenceOf: (key) => {
        const { runnerId } = parseStreamKey(key);
        const token = this.leases.tokenOf(runnerId);
        return token === undefined ? undefined : { leaseKey: this.keys.runnerLease(runnerId), token };
      },
      log: this.options.log,
    });
    return this.streams;
  }

  /** What writers on any instance notify reaches this instance's dashboards, and the other way round. */
  relayChanges(feed: ChangeFeed): void {
    this.relay = new ChangeRelay(feed, {
      redis: this.redis,
      connect: (role) => this.connect(role),
      keys: this.keys,
      instanceId: this.instanceId,
      log: this.options.log,
    });
  }

  /** The fence of this instance's writes for a runner: refuses them all unless it owns it. */
  fenceOf = (runnerId: string): Fence => runnerFence(runnerId, this.leases.epochOf(runnerId) ?? -1);

  bridges(local: BridgeManager): ClusterBridges {
    return new ClusterBridges(
      local,
      {
        holds: (id) => this.leases.holds(id),
        ready: (id) => this.ready(id),
        owned: (id) => this.owned(id),
        serving: async (id) => (await this.need().link(id)) !== undefined,
        handOverMs: 2 * this.leases.ttlMs,
      },
      this.rpc,
    );
  }

  /** For ArchiveService: syncs run on the owner of the tree's runner. */
  archiveOwner = {
    holds: (runnerId: string) => this.leases.holds(runnerId),
    held: () => this.leases.heldRunners(),
    sync: (runnerId: string, sessionId: string, reason: SyncReason) =>
      this.rpc.call<Awaited<ReturnType<ArchiveService["syncSession"]>>>(runnerId, "sync", { sessionId, reason }, 15 * 60_000),
  };

  /** For /api/health. */
  health(): InstanceHealth {
    return { id: this.instanceId, redis: this.redis.status === "ready" ? "ok" : "away", ownedRunners: this.leases.heldRunners().length };
  }

  private async ready(runnerId: string): Promise<void> {
    await this.takeovers.get(runnerId);
  }

  private async owned(runnerId: string): Promise<boolean> {
    return (await this.redis.exists(this.keys.runnerLease(runnerId))) === 1;
  }

  /** Starts racing for runners, once the services it serves exist. */
  async start(deps: ClusterDeps): Promise<void> {
    this.deps = deps;
    await this.relay?.ready();
    await this.rpc.start();
    await this.leases.start();
  }

  /**
   * Now the owner: answer for the runner, finish what its last owner left (interrupted syncs),
   * and follow the directories with running or recent sessions, whose bridges reconcile from the
   * runner as they connect: what happened while nobody owned it is caught up.
   */
  private async takeOver(runnerId: string): Promise<void> {
    const deps = this.need();
    try {
      await this.rpc.serve(runnerId);
      void deps.archive.recoverRunner(runnerId).catch((error: unknown) => this.options.log.warn(`[cluster] recovery of runner ${runnerId}: ${errorMessage(error)}`));
      const link = await deps.link(runnerId);
      if (!link) return;
      // Settled: the catch-up reconcile of each directory is stored before commands and
      // snapshots that waited for this (ready) go on.
      await deps.bridges.follow(link, activeSessionsWhere(runnerId));
    } catch (error) {
      this.options.log.warn(`[cluster] taking runner ${runnerId} over: ${errorMessage(error)}`);
    } finally {
      this.takeovers.delete(runnerId);
    }
  }

  private async letGo(runnerId: string): Promise<void> {
    await this.rpc.unserve(runnerId).catch(() => undefined);
    await this.deps?.bridges.closeRunner(runnerId);
  }

  /**
   * Gives its runners up at once (the others take over without waiting for the lease to lapse),
   * after `drain` (its bridges store what they hold while their writes still pass the fence).
   */
  async stop(drain: () => Promise<void>): Promise<void> {
    await this.leases.stop(drain);
    this.relay?.close();
    await this.streams?.close();
    for (const connection of this.connections) connection.disconnect();
  }
}
