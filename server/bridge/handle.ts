import type { RunnerLink } from "./manager";

/**
 * What commands do with the live bridge of a runner directory. A `DirectoryBridge` is one; with
 * several instances (server/cluster) the bridge may run on the instance that owns the runner,
 * and the handle forwards to it.
 */
export interface BridgeHandle {
  /** Catches these sessions up from the runner (queued behind what the bridge already received). */
  reconcile(opencodeIds: string[]): Promise<void>;
  /** Resolves once everything received so far is published and stored. */
  settle(): Promise<void>;
  /** A prompt was sent: keep following until its first event arrives. */
  expect(opencodeId: string): void | Promise<void>;
  /** Feeds an event of our own through the same path as the runner's (an abort's error). */
  inject(raw: unknown): Promise<void>;
}

/** The live bridges of every runner, wherever they run: `BridgeManager` in one process. */
export interface Bridges {
  /** The bridge of a runner directory, following the runner before it is returned. */
  ensure(link: RunnerLink, directory: string): Promise<BridgeHandle>;
  /** Resolves once every event of this runner published so far is stored. */
  stored(runnerId: string): Promise<void>;
}
