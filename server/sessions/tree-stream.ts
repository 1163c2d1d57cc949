import { streamKey } from "~/server/bridge/stream-key";
import type { Services } from "~/server/services";

/**
 * The hub key of the live events of a session's tree, with the bridge that feeds it started
 * (a runner that is not serving has no bridge: its key simply stays quiet). Null: no such session.
 */
export async function treeStream(services: Services, sessionId: string): Promise<string | null> {
  const row = await services.db.session.findUnique({
    where: { id: sessionId },
    select: { runnerId: true, directory: true, root: { select: { opencodeId: true } }, opencodeId: true },
  });
  if (!row) return null;
  const link = await services.runners.link(row.runnerId);
  if (link) await services.live.ensure(link, row.directory);
  return streamKey(row.runnerId, row.root?.opencodeId ?? row.opencodeId);
}
