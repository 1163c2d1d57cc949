import type { BridgeHandle, Bridges } from "~/server/bridge/handle";
import type { BridgeManager, RunnerLink } from "~/server/bridge/manager";
import type { OwnerRpc } from "./owner-rpc";

export type Ownership = {
  holds(runnerId: string): boolean;
  /** Whether any instance holds the runner's lease right now. */
  owned(runnerId: string): Promise<boolean>;
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
    if (this.ownership.holds(link.runnerId)) return this.local.ensure(link, directory);
    await this.rpc.call(link.runnerId, "ensure", { directory });
    return new RemoteBridge(this.rpc, link.runnerId, directory);
  }

  async stored(runnerId: string): Promise<void> {
    if (this.ownership.holds(runnerId)) return this.local.stored(runnerId);
    // Nobody follows a runner no instance owns (not serving): nothing of it is waiting to be stored.
    if (!(await this.ownership.owned(runnerId))) return;
    await this.rpc.call(runnerId, "stored", {});
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
