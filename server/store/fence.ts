import type { Prisma } from "~/server/generated/prisma/client";

/**
 * A check run first in every write transaction of a runner's events when several instances
 * share the archive (server/cluster): it throws `FencedError` unless this instance still owns the
 * runner, so nothing of the transaction commits.
 */
export type Fence = (tx: Prisma.TransactionClient) => Promise<void>;

export class FencedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FencedError";
  }
}

/**
 * The fence of the owner of `runnerId` at `epoch`. The runner row is read FOR SHARE: a new owner
 * raising the epoch waits for writes in flight to commit, and every write after sees its epoch.
 */
export function runnerFence(runnerId: string, epoch: number): Fence {
  return async (tx) => {
    const rows = await tx.$queryRaw<{ ownerEpoch: number }[]>`SELECT "ownerEpoch" FROM "Runner" WHERE id = ${runnerId} FOR SHARE`;
    const current = rows[0]?.ownerEpoch;
    if (current !== epoch) {
      throw new FencedError(`This instance no longer owns runner ${runnerId} (epoch ${epoch}, now ${current ?? "no runner"}): its writes are refused.`);
    }
  };
}
