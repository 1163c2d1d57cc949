import type { PrismaClient } from "~/server/generated/prisma/client";
import type { RunnerLink } from "~/server/bridge/manager";
import type { ChangeSink } from "~/server/hub/change-feed";
import type { Logger } from "~/server/log";
import { ArchiveError, errorMessage } from "./errors";
import { archiveStatus } from "./read";
import { purgeTree, runRetention, type RetentionPolicy, type RetentionReport } from "./retention";
import { syncThroughLive, treeRuns, type LiveWriter } from "./live-sync";
import { findRunnerRoot, RunnerSource } from "./runner-source";
import { syncTree, type SyncOptions, type SyncOutcome } from "./sync";
import { KeyedChain } from "~/server/keyed-chain";

export type ArchiveConfig = {
  /** A tree idle (no activity) this long after its last change is synced. */
  idleMs: number;
  /** Every this often, every changed tree of a serving runner is synced (failed ones too). */
  sweepMs: number;
  retention: RetentionPolicy & { everyMs: number };
};

export type SyncReason = "idle" | "sweep" | "manual" | "delete" | "runner-stop" | "recovery";

type Deps = {
  db: PrismaClient;
  runners: { link(runnerId: string): Promise<RunnerLink | undefined> };
  /** The live bridge of a runner directory, if one is open: a sync of its trees goes through it. */
  bridges: { find(runnerId: string, directory: string): LiveWriter | undefined };
  /** Told about every tree whose archive state or content this service changes. */
  changes: ChangeSink;
  log: Logger;
  /** Retention also removes the git worktrees of deleted and purged sessions (server/worktrees). */
  worktrees?: { removeAbandoned(): Promise<number> };
  /**
   * Several instances (server/cluster): only the owner of a runner syncs its trees (a live tree
   * goes through its bridge, which runs there); a sync asked of another instance is sent to it.
   */
  owner?: {
    holds(runnerId: string): boolean;
    /** The runners this instance owns. */
    held(): string[];
    sync(runnerId: string, sessionId: string, reason: SyncReason): Promise<SyncOutcome>;
  };
};

type RootRow = { id: string; runnerId: string; opencodeId: string; directory: string };

/**
 * Runs full syncs of session trees from their runners: on demand, after a tree went idle
 * (debounced), on a periodic sweep, before a session is deleted or a runner stops, and applies
 * the retention policy in the background. Syncs of one tree run one at a time in this process;
 * across processes the archive version (optimistic lock) keeps them from interleaving.
 */
export class ArchiveService {
  private readonly chains = new KeyedChain();
  private readonly timers: NodeJS.Timeout[] = [];
  private ticking = false;
  private stopped = false;

  constructor(
    private readonly deps: Deps,
    readonly config: ArchiveConfig,
  ) {}

  /** Starts the idle poller, the sweep and the retention job; syncs trees a crash interrupted. */
  async start(): Promise<void> {
    // With several instances, a new owner of a runner recovers its trees (recoverRunner).
    const interrupted = this.deps.owner ? [] : await this.recoverInterrupted();
    const every = (ms: number, task: () => Promise<unknown>) => {
      if (ms <= 0) return;
      const timer = setInterval(() => void task().catch((error) => this.deps.log.error(`[archive] ${errorMessage(error)}`)), ms);
      timer.unref();
      this.timers.push(timer);
    };
    // idleMs 0 turns idle syncing off (as the sweep and retention take 0 for off).
    every(this.config.idleMs > 0 ? Math.min(10_000, Math.max(250, Math.floor(this.config.idleMs / 3))) : 0, () => this.tick("idle"));
    every(this.config.sweepMs, () => this.tick("sweep"));
    every(this.config.retention.everyMs, () => this.applyRetention());
    for (const root of interrupted) void this.syncRootQuietly(root, "recovery");
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearInterval(timer);
    this.timers.length = 0;
    await this.chains.idle();
  }

  /** A full sync of the tree `sessionId` (root or any descendant) belongs to. */
  async syncSession(sessionId: string, reason: SyncReason = "manual"): Promise<SyncOutcome> {
    const { root } = await archiveStatus(this.deps.db, sessionId);
    return this.syncRoot(root, reason);
  }

  /** Syncs every tree of a runner that changed since its last archive (before it stops). */
  async syncRunner(runnerId: string, options: { timeoutMs?: number } = {}): Promise<{ synced: number; failed: number }> {
    const roots = await this.changedRoots({ runnerId, includeBusy: true, includeFailed: true });
    const deadline = Date.now() + (options.timeoutMs ?? 30_000);
    let synced = 0;
    let failed = 0;
    for (const root of roots) {
      if (Date.now() > deadline) break;
      if (await this.syncRootQuietly(root, "runner-stop")) synced++;
      else failed++;
    }
    return { synced, failed };
  }

  /** This instance now owns the runner: syncs its previous owner left unfinished are run again. */
  async recoverRunner(runnerId: string): Promise<void> {
    for (const root of await this.recoverInterrupted(runnerId)) void this.syncRootQuietly(root, "recovery");
  }

  /** Marks syncs a crash interrupted as failed (their archive is the previous one). */
  async recoverInterrupted(runnerId?: string): Promise<RootRow[]> {
    const { db } = this.deps;
    const stuck = await db.session.findMany({ where: { archiveState: "syncing", runnerId }, select: { id: true, rootId: true } });
    if (stuck.length === 0) return [];
    await db.session.updateMany({
      where: { id: { in: stuck.map((s) => s.id) } },
      data: { archiveState: "failed", archiveError: "Interrupted: the app stopped during a sync; the previous archive is intact." },
    });
    const rootIds = [...new Set(stuck.map((s) => s.rootId ?? s.id))];
    this.deps.changes.notify(rootIds);
    return db.session.findMany({
      where: { id: { in: rootIds }, deletedAt: null, purgedAt: null },
      select: { id: true, runnerId: true, opencodeId: true, directory: true },
    });
  }

  async applyRetention(now = new Date()): Promise<RetentionReport & { worktreesRemoved: number }> {
    const report = await runRetention(this.deps.db, this.config.retention, now);
    if (report.purged.length > 0) this.deps.log.info(`[archive] retention purged ${report.purged.length} archived session tree(s)`);
    this.deps.changes.notify(report.purged);
    const worktreesRemoved = (await this.deps.worktrees?.removeAbandoned()) ?? 0;
    if (worktreesRemoved > 0) this.deps.log.info(`[archive] retention removed ${worktreesRemoved} worktree(s) of deleted sessions`);
    return { ...report, worktreesRemoved };
  }

  /** Removes one tree's archived content for good (see `purgeTree`); returns the rows purged. */
  async purge(rootId: string): Promise<number> {
    const purged = await purgeTree(this.deps.db, rootId);
    this.deps.changes.notify([rootId]);
    return purged;
  }

  /** One pass of the idle poller or the sweep; passes never overlap. */
  async tick(kind: "idle" | "sweep", now = new Date()): Promise<number> {
    if (this.ticking || this.stopped) return 0;
    this.ticking = true;
    try {
      const roots =
        kind === "idle"
          ? await this.changedRoots({ quietSince: new Date(now.getTime() - this.config.idleMs) })
          : await this.changedRoots({ includeFailed: true });
      let synced = 0;
      for (const root of roots) {
        if (this.stopped) break;
        if (await this.syncRootQuietly(root, kind)) synced++;
      }
      return synced;
    } finally {
      this.ticking = false;
    }
  }

  private async syncRoot(root: RootRow, reason: SyncReason): Promise<SyncOutcome> {
    const { owner } = this.deps;
    if (owner && !owner.holds(root.runnerId)) return owner.sync(root.runnerId, root.id, reason);
    return this.chains.run(root.id, async () => {
      const link = await this.deps.runners.link(root.runnerId);
      if (!link) throw new ArchiveError("runner_unavailable", "The runner of this session is not serving; the archive keeps what it has.");
      const bridge = this.deps.bridges.find(root.runnerId, root.directory);
      // Whatever the live path already received is stored first.
      await bridge?.settle();
      const rootOpencodeId = (await findRunnerRoot(link.endpoint, root.directory, root.opencodeId)) ?? root.opencodeId;
      // Dashboards show the archive state: told when the tree is marked syncing, and when the
      // sync is over (archived or failed), about the tree the sync actually marked.
      let syncedRootId = root.id;
      const syncing = (rootId: string) => {
        syncedRootId = rootId;
        this.deps.changes.notify([rootId]);
      };
      try {
        const target = { runnerId: root.runnerId, rootOpencodeId };
        // After a turn the runner's newest messages usually tell what changed (recent.ts).
        const options: SyncOptions = { retries: 1, log: this.deps.log, hooks: { syncing }, recent: reason === "idle" };
        // A streaming tree has one writer, its bridge; otherwise the sync writes the archive itself.
        const outcome =
          bridge && (await treeRuns(this.deps.db, root.id))
          ? await syncThroughLive(this.deps.db, bridge, target, options)
          : await syncTree(this.deps.db, new RunnerSource(link.endpoint, root.directory), target, options);
        if (outcome.changes > 0 || outcome.removedTurns > 0) {
          this.deps.log.info(`[archive] ${reason} sync of ${root.opencodeId}: ${outcome.changes} change(s), version ${outcome.version}`);
        }
        return outcome;
      } finally {
        this.deps.changes.notify([syncedRootId]);
      }
    });
  }

  private async syncRootQuietly(root: RootRow, reason: SyncReason): Promise<boolean> {
    try {
      await this.syncRoot(root, reason);
      return true;
    } catch (error) {
      this.deps.log.warn(`[archive] ${reason} sync of ${root.opencodeId} failed: ${errorMessage(error)}`);
      return false;
    }
  }

  /** Root trees on serving runners with activity the archive does not have yet. */
  private async changedRoots(filter: { runnerId?: string; quietSince?: Date; includeBusy?: boolean; includeFailed?: boolean }): Promise<RootRow[]> {
    const { db } = this.deps;
    const rows = await db.session.findMany({
      where: {
        // With several instances, each syncs the trees of the runners it owns.
        runnerId: this.deps.owner ? { in: this.deps.owner.held().filter((id) => !filter.runnerId || id === filter.runnerId) } : filter.runnerId,
        deletedAt: null,
        purgedAt: null,
        parents: { none: { kind: "subagent" } },
        archiveState: { in: filter.includeFailed ? ["none", "archived", "failed"] : ["none", "archived"] },
        OR: [{ lastArchivedAt: null }, { lastArchivedAt: { lt: db.session.fields.lastActivityAt } }],
        ...(filter.quietSince ? { lastActivityAt: { lte: filter.quietSince } } : {}),
        ...(filter.includeBusy ? {} : { descendants: { none: { status: { in: ["running", "waiting"] } } } }),
        runner: { status: { not: "stopped" } },
      },
      orderBy: { lastActivityAt: "asc" },
      take: 200,
      select: { id: true, rootId: true, runnerId: true, opencodeId: true, directory: true },
    });
    return rows.filter((r) => (r.rootId ?? r.id) === r.id);
  }
}
