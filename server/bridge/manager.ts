import type { Prisma, PrismaClient } from "~/server/generated/prisma/client";
import type { ChangeSink } from "~/server/hub/change-feed";
import type { LiveStreams } from "~/server/hub/live-streams";
import type { RunnerEndpoint } from "~/server/runtime/client";
import type { SessionEvent } from "~/server/stream";
import type { Logger } from "~/server/log";
import type { Fence } from "~/server/store/fence";
import { DirectoryBridge, type DirectoryBridgeOptions } from "./directory-bridge";
import type { Bridges } from "./handle";

export type RunnerLink = { runnerId: string; endpoint: RunnerEndpoint };

type Prepare = (bridge: DirectoryBridge, directory: string) => void;

export type BridgeManagerOptions = {
  db: PrismaClient;
  hub: LiveStreams<SessionEvent>;
  changes: ChangeSink;
  stallMs: number;
  log: Logger;
  /** A bridge with no viewer and no running turn for this long is closed. */
  idleMs?: number;
  backoff?: DirectoryBridgeOptions["backoff"];
  /**
   * Several instances (server/cluster): the fence of this instance's ownership of a runner. A
   * bridge whose writes it refuses is closed with every other bridge of that runner.
   */
  fenceOf?: (runnerId: string) => Fence | undefined;
};

/**
 * One DirectoryBridge per (runner, directory) in use: opened on demand, re-opened when the
 * runner moves (restart), closed when nothing needs it.
 */
export class BridgeManager implements Bridges {
  private readonly bridges = new Map<
    string,
    { bridge: DirectoryBridge; link: RunnerLink; directory: string; quietSince?: number; connecting?: boolean }
  >();
  private readonly sweepTimer: NodeJS.Timeout;

  constructor(private readonly options: BridgeManagerOptions) {
    const idleMs = options.idleMs ?? 5 * 60_000;
    this.sweepTimer = setInterval(() => void this.sweep(idleMs), Math.min(idleMs, 30_000));
    this.sweepTimer.unref();
  }

  /**
   * The bridge of a runner directory, connected before it is returned. `prepare` runs on a new
   * bridge before it connects, so what it queues comes before anything the runner says.
   */
  async ensure(link: RunnerLink, directory: string, prepare?: Prepare): Promise<DirectoryBridge> {
    const key = `${link.runnerId}\n${directory}`;
    const existing = this.bridges.get(key);
    if (existing) {
      existing.quietSince = undefined;
      return existing.bridge;
    }
    // A bridge that gave up is forgotten, so the next one asking for the directory tries afresh.
    const onFailed = () => {
      if (this.bridges.get(key)?.bridge === bridge) this.bridges.delete(key);
      void bridge.stop();
    };
    const bridge: DirectoryBridge = new DirectoryBridge({
      ...this.options,
      runnerId: link.runnerId,
      endpoint: link.endpoint,
      directory,
      onFailed,
      // A tree is let go after as long as a whole directory would be.
      forgetAfterMs: this.options.idleMs,
      fence: this.options.fenceOf?.(link.runnerId),
      onFenced: (error) => {
        this.options.log.warn(`[bridge] ${error.message}`);
        void this.closeRunner(link.runnerId);
      },
    });
    // Not swept while it connects: whoever asked for it has had no chance yet to say why
    // (a prompt's expectation, a viewer), and a slow connect would otherwise close it under them.
    const entry = { bridge, link, directory, connecting: true };
    this.bridges.set(key, entry);
    prepare?.(bridge, directory);
    try {
      await bridge.start();
    } finally {
      entry.connecting = false;
    }
    return bridge;
  }

  /**
   * Follows the runner's directories that hold sessions matching `where`: their bridges reconcile
   * from the runner as they connect, so what happened while nobody followed them is caught up.
   * Resolves once each catch-up is stored; a directory that cannot be followed is logged.
   */
  async follow(link: RunnerLink, where: Prisma.SessionWhereInput): Promise<void> {
    const sessions = await this.options.db.session.findMany({
      where: { ...where, runnerId: link.runnerId },
      distinct: ["directory"],
      select: { directory: true },
    });
    await Promise.all(
      sessions.map(async ({ directory }) => {
        try {
          await (await this.ensure(link, directory)).settle();
        } catch (error) {
          this.options.log.warn(`[bridge] could not follow ${directory}: ${error instanceof Error ? error.message : error}`);
        }
      }),
    );
  }

  /** The directories of a runner that have a bridge (connected or trying to). */
  directories(runnerId: string): string[] {
    return [...this.bridges.values()].filter((b) => b.link.runnerId === runnerId).map((b) => b.directory);
  }

  find(runnerId: string, directory: string): DirectoryBridge | undefined {
    return this.bridges.get(`${runnerId}\n${directory}`)?.bridge;
  }

  /**
   * The runner came back (maybe on a new port): re-open its bridges, and those of `directories`,
   * which reconcile once connected. `prepare` runs on each before it connects.
   */
  async relink(link: RunnerLink, directories: string[] = [], prepare?: Prepare): Promise<void> {
    const moved = [...this.bridges.entries()].filter(([, b]) => b.link.runnerId === link.runnerId);
    for (const [key, entry] of moved) {
      this.bridges.delete(key);
      await entry.bridge.stop();
    }
    const reopen = new Set([...moved.map(([, entry]) => entry.directory), ...directories]);
    for (const directory of reopen) await this.ensure(link, directory, prepare);
  }

  /** Resolves once every event of this runner published so far is stored (snapshots cover them). */
  async stored(runnerId: string): Promise<void> {
    await Promise.all([...this.bridges.values()].filter((b) => b.link.runnerId === runnerId).map((b) => b.bridge.stored()));
  }

  async closeRunner(runnerId: string): Promise<void> {
    for (const [key, entry] of this.bridges) {
      if (entry.link.runnerId !== runnerId) continue;
      this.bridges.delete(key);
      await entry.bridge.stop();
    }
  }

  async closeAll(): Promise<void> {
    clearInterval(this.sweepTimer);
    const all = [...this.bridges.values()];
    this.bridges.clear();
    await Promise.all(all.map((entry) => entry.bridge.stop()));
  }

  private async sweep(idleMs: number): Promise<void> {
    const now = Date.now();
    for (const [key, entry] of this.bridges) {
      if (entry.connecting || entry.bridge.busyReason() !== undefined) {
        entry.quietSince = undefined;
        continue;
      }
      entry.quietSince ??= now;
      if (now - entry.quietSince < idleMs) continue;
      this.bridges.delete(key);
      await entry.bridge.stop();
    }
  }
}
