/**
 * The composition root: builds the long-lived parts of the server once per process and wires
 * them in the one direction data flows: runner → bridge → store → hub → router.
 */
import os from "node:os";
import path from "node:path";
import { ArchiveService, type ArchiveConfig } from "~/server/archive/service";
import { BridgeManager, type RunnerLink } from "~/server/bridge/manager";
import type { Bridges } from "~/server/bridge/handle";
import { runnerRestartedEvent } from "~/server/bridge/runner-restarted";
import { config } from "~/server/config";
import { getDb } from "~/server/db";
import type { PrismaClient } from "~/server/generated/prisma/client";
import { ChangeFeed } from "~/server/hub/change-feed";
import type { LiveStreams } from "~/server/hub/live-streams";
import { StreamHub, type HubOptions } from "~/server/hub/stream-hub";
import { Cluster } from "~/server/cluster/cluster";
import { parseStreamKey } from "~/server/bridge/stream-key";
import { RunnerRegistry } from "~/server/runners/registry";
import { removeAbandonedWorktrees } from "~/server/worktrees/cleanup";
import { SecretBox } from "~/server/runners/secret-box";
import { appSecret } from "~/server/secret";
import { startEmbeddedRunner, type EmbeddedRunner } from "~/server/runtime/embedded";
import type { Logger as PinoLogger } from "pino";
import { log as rootLog } from "~/server/log";
import { loadSnapshot } from "~/server/store/snapshot";
import { WINDOW_PARTS } from "~/server/store/older-parts";
import { SearchIndexer } from "~/server/search/indexer";
import { SharedDownloads } from "~/server/share/download";
import { SharedFindings } from "~/server/share/findings-cache";
import { TraceCache } from "~/server/traces/cache";
import type { SessionEvent } from "~/server/stream";
import { turnOpenStatuses } from "~/server/stream/session-status";

export type Services = {
  db: PrismaClient;
  hub: LiveStreams<SessionEvent>;
  /** Which session trees changed, for dashboards (told by every writer of what the list shows). */
  changes: ChangeFeed;
  /** This process's bridges: those of the runners it owns (all of them, without REDIS_URL). */
  bridges: BridgeManager;
  /** Every runner's bridges, wherever they run: commands go through these (server/cluster). */
  live: Bridges;
  /** With REDIS_URL: this instance among the others (runner ownership, Redis). */
  cluster: Cluster | undefined;
  runners: RunnerRegistry;
  embedded: EmbeddedRunner | undefined;
  archive: ArchiveService;
  /** Traces of recently viewed trees, forgotten as the trees change. */
  traces: TraceCache;
  /** Share-link files being downloaded (server/share/download.ts). */
  downloads: SharedDownloads;
  /** What redaction found in each shared tree, while it does not change (server/share/findings-cache.ts). */
  shareFindings: SharedFindings;
  /** Where sessions on the embedded runner may run (FLIGHTDECK_WORKSPACE_ROOTS). */
  workspaceRoots: string[];
  stop(): Promise<void>;
};


export type ServiceOptions = {
  /** Default: the process logger (LOG_LEVEL). Tests pass their own to read what was logged. */
  log?: PinoLogger;
  /** Default: the app's database (getDb). */
  db?: PrismaClient;
  dataDir?: string;
  stallMs?: number;
  embeddedRunner?: boolean;
  /** Pace of the Demo model's words; 0 in tests. */
  deltaDelayMs?: number;
  /** Events kept per live tree for reconnecting clients. */
  streamBuffer?: number;
  /** A runner directory with no viewer and no running turn for this long stops being followed. */
  bridgeIdleMs?: number;
  /** Archive timings and retention; defaults from the FLIGHTDECK_ARCHIVE_* / RETENTION_* env. */
  archive?: Partial<ArchiveConfig>;
  /** Several instances through Redis; default from REDIS_URL and FLIGHTDECK_REDIS_PREFIX / _INSTANCE_ID / _OWNER_LEASE_MS. */
  cluster?: { redisUrl: string; prefix?: string; instanceId?: string; leaseMs?: number };
};

export async function createServices(options: ServiceOptions = {}): Promise<Services> {
  const cfg = config();
  const db = options.db ?? (await getDb());
  const stallMs = options.stallMs ?? cfg.FLIGHTDECK_STALL_MS;
  const root = options.log ?? rootLog;
  const log = root.child({ domain: "services" });
  const several = options.cluster ?? (cfg.REDIS_URL ? { redisUrl: cfg.REDIS_URL } : undefined);
  const cluster = several
    ? new Cluster({
        url: several.redisUrl,
        prefix: several.prefix ?? cfg.FLIGHTDECK_REDIS_PREFIX,
        instanceId: several.instanceId ?? cfg.FLIGHTDECK_INSTANCE_ID,
        leaseMs: several.leaseMs ?? cfg.FLIGHTDECK_OWNER_LEASE_MS,
        db,
        log: root.child({ domain: "cluster" }),
      })
    : undefined;
  const hubOptions: HubOptions<SessionEvent> = {
    bufferSize: options.streamBuffer ?? cfg.FLIGHTDECK_STREAM_BUFFER,
    // A viewer this far behind the live tail is resynced from a snapshot instead.
    maxQueue: 20_000,
    snapshot: async (key) => {
      const { runnerId, rootOpencodeId } = parseStreamKey(key);
      // Events reach viewers before the archive: a snapshot waits for what was published to be
      // stored, so it is complete up to its seq and the hub's buffer holds what follows.
      await live.stored(runnerId);
      const root = await db.session.findUniqueOrThrow({
        where: { runnerId_opencodeId: { runnerId, opencodeId: rootOpencodeId } },
        select: { id: true },
      });
      return loadSnapshot(db, root.id, { windowParts: WINDOW_PARTS });
    },
  };
  const hub: LiveStreams<SessionEvent> = cluster ? cluster.liveStreams(hubOptions) : new StreamHub<SessionEvent>(hubOptions);
  const changes = new ChangeFeed();
  cluster?.relayChanges(changes);
  const bridges = new BridgeManager({
    db,
    hub,
    changes,
    stallMs,
    log: root.child({ domain: "bridge" }),
    idleMs: options.bridgeIdleMs,
    fenceOf: cluster?.fenceOf,
  });
  const live: Bridges = cluster ? cluster.bridges(bridges) : bridges;
  const secrets = SecretBox.fromKeyMaterial(appSecret({ secret: cfg.FLIGHTDECK_SECRET, dataDir: options.dataDir ?? cfg.dataDir }));
  const runners = new RunnerRegistry(db, {
    secrets,
    log: root.child({ domain: "runners" }),
    // With several instances, only the runner's owner follows it.
    onRestarted: (link) => (cluster && !cluster.leases.holds(link.runnerId) ? Promise.resolve() : recoverAfterRestart(db, bridges, link)),
  });
  await runners.sealLegacyPasswords();
  runners.startPolling();

  let embedded: EmbeddedRunner | undefined;
  if (options.embeddedRunner ?? cfg.FLIGHTDECK_EMBEDDED_RUNNER) {
    embedded = await startEmbeddedRunner({
      dataDir: path.join(options.dataDir ?? cfg.dataDir, "runner"),
      deltaDelayMs: options.deltaDelayMs ?? cfg.FLIGHTDECK_DEMO_DELTA_MS,
      modelUrl: cfg.FLIGHTDECK_DEMO_MODEL_URL,
    });
    await runners.registerEmbedded(embedded);
    log.info(`embedded runner ready (${embedded.usesDemoModel ? "Demo model" : "configured providers"})`);
  }

  const archive = new ArchiveService(
    {
      db,
      runners,
      bridges,
      changes,
      log: root.child({ domain: "archive" }),
      worktrees: { removeAbandoned: () => removeAbandonedWorktrees({ db, runners, changes }) },
      owner: cluster?.archiveOwner,
    },
    {
      idleMs: cfg.FLIGHTDECK_ARCHIVE_IDLE_MS,
      sweepMs: cfg.FLIGHTDECK_ARCHIVE_SWEEP_MS,
      retention: { days: cfg.FLIGHTDECK_RETENTION_DAYS, purgeShared: cfg.FLIGHTDECK_RETENTION_PURGE_SHARED, everyMs: cfg.FLIGHTDECK_RETENTION_EVERY_MS },
      ...options.archive,
    },
  );
  await archive.start();
  const indexer = new SearchIndexer(db, root.child({ domain: "search" }));
  indexer.start();
  const traces = new TraceCache(db);
  changes.watch((rootIds) => traces.forget(rootIds));
  // Without several instances, this one follows every runner's open turns from the start: a turn
  // that ended while the app was down must not read as running until someone opens it.
  if (!cluster) {
    void followOpenTurns(db, bridges, runners).catch((error: unknown) => {
      log.warn(`could not follow the open turns: ${error instanceof Error ? error.message : error}`);
    });
  }
  await cluster?.start({
    bridges,
    archive,
    link: (runnerId) => runners.link(runnerId),
    candidates: () => reachableRunners(db, runners.embeddedRunnerId),
  });

  return {
    db,
    hub,
    changes,
    bridges,
    live,
    cluster,
    runners,
    embedded,
    archive,
    traces,
    downloads: new SharedDownloads(),
    shareFindings: new SharedFindings(),
    workspaceRoots: cfg.FLIGHTDECK_WORKSPACE_ROOTS ?? [...(embedded ? [embedded.supervisor.directory] : []), os.homedir()],
    async stop() {
      // What its bridges hold is stored, then its runners go to the other instances at once,
      // not after their leases lapse.
      await cluster?.stop(() => bridges.closeAll());
      runners.stop();
      // The embedded runner's trees are archived before it stops (bounded: shutdown must end).
      if (embedded && runners.embeddedRunnerId) {
        await archive.syncRunner(runners.embeddedRunnerId, { timeoutMs: 20_000 }).catch((error: unknown) => {
          log.warn(`archive sync before the runner stopped failed: ${error instanceof Error ? error.message : error}`);
        });
      }
      await archive.stop();
      await bridges.closeAll();
      await indexer.stop();
      await embedded?.stop();
    },
  };
}

/**
 * After a runner restart, turns that were running are lost on the runner side: say so in
 * those sessions (the store then flags them stale). The errors are queued on the re-opened bridges before
 * they connect, so the catch-up reconcile (where the runner calls these sessions idle) cannot
 * pass the interrupted turns off as completed.
 */
async function recoverAfterRestart(db: PrismaClient, bridges: BridgeManager, link: RunnerLink): Promise<void> {
  const interrupted = await db.session.findMany({
    where: { runnerId: link.runnerId, deletedAt: null, status: { in: [...turnOpenStatuses] } },
    select: { opencodeId: true, directory: true },
  });
  await bridges.relink(
    link,
    interrupted.map((s) => s.directory),
    (bridge, directory) => {
      for (const session of interrupted.filter((s) => s.directory === directory)) {
        void bridge.inject(runnerRestartedEvent(session.opencodeId));
      }
    },
  );
}

/** Follows the directories with open turns on the remote runners (their bridges reconcile). */
async function followOpenTurns(db: PrismaClient, bridges: BridgeManager, runners: RunnerRegistry): Promise<void> {
  const open = { deletedAt: null, status: { in: [...turnOpenStatuses] } };
  const remote = await db.runner.findMany({ where: { kind: "remote", status: { not: "stopped" }, sessions: { some: open } }, select: { id: true } });
  for (const { id } of remote) {
    const link = await runners.link(id);
    if (link) await bridges.follow(link, open);
  }
}

/** Runners an instance may own: remote ones that are not stopped, and its own embedded one. */
async function reachableRunners(db: PrismaClient, embeddedRunnerId: string | undefined): Promise<string[]> {
  const remote = await db.runner.findMany({ where: { kind: "remote", status: { not: "stopped" } }, select: { id: true } });
  return [...remote.map((r) => r.id), ...(embeddedRunnerId ? [embeddedRunnerId] : [])];
}

const globalForServices = globalThis as typeof globalThis & { flightdeckServices?: Promise<Services> };

/** The process-wide services, started on first use (the server starts them at boot). */
export function getServices(): Promise<Services> {
  globalForServices.flightdeckServices ??= createServices().catch((error: unknown) => {
    globalForServices.flightdeckServices = undefined;
    throw error;
  });
  return globalForServices.flightdeckServices;
}
