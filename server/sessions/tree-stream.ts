import { streamKey } from "~/server/bridge/stream-key";
import type { SessionDeps } from "./commands";

/**
 * The hub key of the live events of a session's tree, with the bridge that feeds it started
 * (a runner that is not serving has no bridge: its key simply stays quiet). Null: no such session.
 */
export async function treeStream(deps: SessionDeps, sessionId: string): Promise<string | null> {
  const row = await deps.db.session.findUnique({
    where: { id: sessionId },
    select: { runnerId: true, directory: true, root: { select: { opencodeId: true } }, opencodeId: true },
  });
  if (!row) return null;
  const link = await deps.runners.link(row.runnerId);
  if (link) await deps.live.ensure(link, row.directory);
  return streamKey(row.runnerId, row.root?.opencodeId ?? row.opencodeId);
}
