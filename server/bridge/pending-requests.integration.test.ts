import { afterAll, beforeAll, expect, it } from "vitest";
import { marker } from "~/server/model/markers";
import { createRunnerClient } from "~/server/runtime/client";
import { describeEachDatabase } from "~/server/testing/database";
import { startLive, waitUntil, type Live } from "~/server/testing/live";

describeEachDatabase("requests a bridge never saw", (database) => {
  let live: Live;
  beforeAll(async () => {
    live = await startLive(database.client);
  });
  afterAll(async () => live?.stop());

  const requestsOf = async (sessionId: string) =>
    ((await database.client.sessionBoundary.findUnique({ where: { sessionId }, select: { requests: true } }))?.requests as { id: string; type: string }[] | undefined) ?? [];

  it("a reconcile shows a permission request the runner waits on, and closes one it no longer waits on", async () => {
    const session = await live.api.session.create({ runnerId: live.runnerId, directory: live.directory });
    const client = createRunnerClient((await live.services.runners.link(live.runnerId))!.endpoint, { directory: live.directory });
    await live.api.session.prompt({ sessionId: session.id, text: marker("permission") });
    let asked: string | undefined;
    await waitUntil(async () => {
      asked = (await client.permission.list()).data?.find((p) => p.sessionID === session.opencodeId)?.id;
      return asked !== undefined && (await requestsOf(session.id)).some((r) => r.id === asked);
    }, 30_000, "the runner to ask, and the archive to hold it");

    // As if the asking event had been lost (its instance died before storing it), and a request
    // the runner no longer has were left open.
    const stale = { id: "per_stale_0000000000000000", type: "permission", permission: "bash", patterns: [], always: [], metadata: {} };
    await database.client.sessionBoundary.update({ where: { sessionId: session.id }, data: { requests: [stale] } });
    const bridge = await live.services.live.ensure((await live.services.runners.link(live.runnerId))!, live.directory);
    await bridge.reconcile([session.opencodeId]);
    await bridge.settle();

    const requests = await requestsOf(session.id);
    expect(requests.map((r) => [r.id, r.type])).toEqual([[asked, "permission"]]);
    // It can be answered, and the turn ends.
    await live.api.session.replyPermission({ sessionId: session.id, requestId: asked!, reply: "once" });
    await waitUntil(async () => (await database.client.session.findUniqueOrThrow({ where: { id: session.id } })).status === "idle", 30_000, "the turn to end");
    expect((await requestsOf(session.id)).filter((r) => r.type === "permission")).toEqual([]);
  });
});
