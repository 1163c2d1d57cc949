import type { BridgeHandle, Bridges } from "~/server/bridge/handle";
import type { BridgeManager, RunnerLink } from "~/server/bridge/manager";
import type { OwnerRpc } from "./owner-rpc";

export type Ownership = {
  holds(runnerId: string): boolean;
  /** Resolves once this instance, just become the runner's owner, has caught up from it. */
  ready(runnerId: string): Promise<void>;
  /** Whether any instance holds the runner's lease right now. */
  owned(runnerId: string): Promise<boolean>;
  /** Whether the runner serves, so that some instance should own it. */
  serving(runnerId: string): Promise<boolean>;
  /** Longest a runner that serves stays without an owner (a lease lapsing, Redis restarting). */
  handOverMs: number;
};

/**
 * The bridges of every runner from any instance: this instance's own for the runners it owns,
 * else a handle that forwards each call to the owner (see owner-handlers.ts for the other side).
 */
export class ClusterBridges implements Bridges {
  constructor(
    private readonly local: BridgeManager,
    private readonly ownership: Ownership,
    private readonly rpc: OwnerRpc,
  ) {}

  async ensure(link: RunnerLink, directory: string): Promise<BridgeHandle> {
    if (this.ownership.holds(link.runnerId)) {
      await this.ownership.ready(link.runnerId);
      return this.local.ensure(link, directory);
    }
    await this.rpc.call(link.runnerId, "ensure", { directory });
    return new RemoteBridge(this.rpc, link.runnerId, directory);
  }

  async stored(runnerId: string): Promise<void> {
    // A runner that serves but has no owner right now is changing hands (its owner died, Redis
    // restarted): whoever owned it may still hold events it published and has not stored, and
    // its next owner will have them stored, so the answer waits for that owner.
    const deadline = Date.now() + this.ownership.handOverMs;
    while (!this.ownership.holds(runnerId) && !(await this.ownership.owned(runnerId))) {
      // Nobody follows a runner that does not serve: nothing of it is waiting to be stored.
      if (Date.now() > deadline || !(await this.ownership.serving(runnerId))) return;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    if (!this.ownership.holds(runnerId)) return this.rpc.call(runnerId, "stored", {});
    await this.ownership.ready(runnerId);
    await this.local.stored(runnerId);
  }
}

class RemoteBridge implements BridgeHandle {
  constructor(
    private readonly rpc: OwnerRpc,
    private readonly runnerId: string,
    private readonly directory: string,
  ) {}

  reconcile(opencodeIds: string[]): Promise<void> {
    return this.rpc.call(this.runnerId, "reconcile", { directory: this.directory, opencodeIds });
  }

  settle(): Promise<void> {
    return this.rpc.call(this.runnerId, "settle", { directory: this.directory });
  }

  expect(opencodeId: string): Promise<void> {
    return this.rpc.call(this.runnerId, "expect", { directory: this.directory, opencodeId });
  }

  inject(raw: unknown): Promise<void> {
    return this.rpc.call(this.runnerId, "inject", { directory: this.directory, raw });
  }
}
