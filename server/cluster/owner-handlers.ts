import type { BridgeManager, RunnerLink } from "~/server/bridge/manager";
import type { SyncReason } from "~/server/archive/service";
import type { SyncOutcome } from "~/server/archive/sync";
import { CommandError } from "~/server/sessions/command-error";
import { NotOwnerError, type OwnerHandlers } from "./owner-rpc";

type Deps = {
  holds(runnerId: string): boolean;
  /** Resolves once a runner just taken over is caught up (see Cluster.takeOver). */
  ready(runnerId: string): Promise<void>;
  link(runnerId: string): Promise<RunnerLink | undefined>;
  bridges: () => BridgeManager;
  syncSession(sessionId: string, reason: SyncReason): Promise<SyncOutcome>;
};

/** What the owner of a runner does when another instance asks (the other side of ClusterBridges). */
export function ownerHandlers(deps: Deps): OwnerHandlers {
  const owned = async (runnerId: string) => {
    if (!deps.holds(runnerId)) throw new NotOwnerError();
    await deps.ready(runnerId);
  };
  const bridge = async (runnerId: string, args: Record<string, unknown>) => {
    await owned(runnerId);
    const link = await deps.link(runnerId);
    if (!link) throw new CommandError("PRECONDITION_FAILED", "The runner of this session is not serving right now.");
    return deps.bridges().ensure(link, String(args.directory));
  };
  return {
    ensure: async (runnerId, args) => void (await bridge(runnerId, args)),
    reconcile: async (runnerId, args) => (await bridge(runnerId, args)).reconcile(args.opencodeIds as string[]),
    settle: async (runnerId, args) => (await bridge(runnerId, args)).settle(),
    expect: async (runnerId, args) => (await bridge(runnerId, args)).expect(String(args.opencodeId)),
    inject: async (runnerId, args) => (await bridge(runnerId, args)).inject(args.raw),
    stored: async (runnerId) => {
      await owned(runnerId);
      await deps.bridges().stored(runnerId);
    },
    sync: async (runnerId, args) => {
      await owned(runnerId);
      return deps.syncSession(String(args.sessionId), args.reason as SyncReason);
    },
  };
}
