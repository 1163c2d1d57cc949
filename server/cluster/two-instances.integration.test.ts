import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createCaller } from "~/server/api/root";
import { createInnerContext } from "~/server/api/trpc";
import { createDb, type Database } from "~/server/db";
import { log } from "~/server/log";
import { marker } from "~/server/model/markers";
import { startEmbeddedRunner, type EmbeddedRunner } from "~/server/runtime/embedded";
import { createServices, type Services } from "~/server/services";
import type { SessionEvent } from "~/server/stream";
import { assistantText, assistantTextAt } from "~/server/testing/assistant-text";
import { waitUntil } from "~/server/testing/live";
import { StreamViewer, type SessionChunk } from "~/server/testing/stream-viewer";
import { teamMember } from "~/server/testing/team";
import { describeWithCluster, TEST_REDIS_URL, testKeyPrefix } from "~/server/testing/redis";

const quiet = log.child({ domain: "test" });
quiet.level = "silent";

/**
 * Two instances in one process (each its own services, database client and Redis connections),
 * on one PostgreSQL database and one Redis, following a runner neither of them started. The
 * three-process suite (cluster.integration.test.ts) kills instances; this one checks the
 * wiring at the speed of one process: commands from the instance that does not own the runner,
 * a viewer served by it, and a hand-over on a clean stop.
 */
(await describeWithCluster())("two instances in one process", (database) => {
  let runner: EmbeddedRunner;
  const runnerDir = fs.mkdtempSync(path.join(os.tmpdir(), "flightdeck-two-runner-"));
  const instances: { services: Services; db: Database; api: ReturnType<typeof createCaller>; context: Parameters<typeof createCaller>[0] }[] = [];
  let runnerId: string;
  const prefix = testKeyPrefix();
  // One data dir: its secret.key stands for the FLIGHTDECK_SECRET instances must share.
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "flightdeck-two-"));

  async function instance() {
    const db = await createDb(database().location);
    const services = await createServices({
      db: db.client,
      dataDir,
      embeddedRunner: false,
      cluster: { redisUrl: TEST_REDIS_URL, prefix, leaseMs: 2_000 },
      stallMs: 60_000,
      log: quiet,
      archive: { idleMs: 0, sweepMs: 0 },
    });
    const context = createInnerContext({ caller: await teamMember(db.client, "admin"), services: async () => services });
    const made = { services, db, api: createCaller(context), context };
    instances.push(made);
    return made;
  }

  beforeAll(async () => {
    runner = await startEmbeddedRunner({ dataDir: runnerDir, deltaDelayMs: 2 });
    const a = await instance();
    const { username, password } = runner.supervisor.credentials;
    ({ id: runnerId } = await a.services.runners.addRemote({ name: "shared", url: runner.supervisor.instance!.url, username, password }));
    await instance();
  });
  afterAll(async () => {
    for (const { services, db } of instances) {
      await services.stop().catch(() => undefined);
      await db.close();
    }
    await runner?.stop();
    fs.rmSync(runnerDir, { recursive: true, force: true });
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const ownsRunner = (i: (typeof instances)[number]) => i.services.cluster!.leases.holds(runnerId);

  function chunks(i: (typeof instances)[number], sessionId: string) {
    return async function* (lastEventId: string | null, signal: AbortSignal): AsyncGenerator<SessionChunk> {
      const stream = await createCaller(i.context, { signal }).session.events({ sessionId, lastEventId });
      for await (const envelope of stream) {
        const [id, data] = envelope as unknown as [string, readonly SessionEvent[]];
        yield { id, data };
      }
    };
  }

  it("serves a viewer and takes commands on the instance that does not own the runner", async () => {
    await waitUntil(() => instances.some(ownsRunner), 15_000, "an instance to own the runner");
    const other = instances.find((i) => !ownsRunner(i))!;
    const directory = runner.supervisor.directory;
    const session = await other.api.session.create({ runnerId, directory });
    const viewer = new StreamViewer(chunks(other, session.id), session.opencodeId);
    await other.api.session.prompt({ sessionId: session.id, text: `Stream it. ${marker("long", 400)}` });
    while (!viewer.finished) await viewer.take(60_000);
    const endpoint = { url: runner.supervisor.instance!.url, credentials: runner.supervisor.credentials };
    expect(viewer.gaps).toBe(0);
    expect(viewer.duplicates).toBe(0);
    expect(assistantText(viewer.state, session.opencodeId)).toBe(await assistantTextAt(endpoint, directory, session.opencodeId));
  });

  it("answers a permission request and aborts a turn from the instance that does not own the runner", async () => {
    const other = instances.find((i) => !ownsRunner(i))!;
    const db = other.db.client;
    const session = await other.api.session.create({ runnerId, directory: runner.supervisor.directory });
    const ac = new AbortController();
    const asked = (async () => {
      for await (const chunk of chunks(other, session.id)(null, ac.signal)) {
        const request = chunk.data.find((e) => e.kind === "permission.asked");
        if (request?.kind === "permission.asked") return request.request.id;
      }
    })();
    await other.api.session.prompt({ sessionId: session.id, text: marker("permission") });
    const requestId = (await asked)!;
    ac.abort();
    await other.api.session.replyPermission({ sessionId: session.id, requestId, reply: "once" });
    await waitUntil(async () => (await db.session.findUniqueOrThrow({ where: { id: session.id } })).status === "idle", 30_000, "the permitted turn to end");
    expect(await other.api.session.answers({ sessionId: session.id })).toMatchObject([{ requestId, reply: "once" }]);
    const ran = await db.toolSpan.findFirst({ where: { sessionId: session.id, tool: "bash" }, select: { status: true } });
    expect(ran?.status).toBe("completed");

    await other.api.session.prompt({ sessionId: session.id, text: marker("hang") });
    await waitUntil(
      async () => (await db.part.count({ where: { sessionId: session.id, type: "text", text: { startsWith: "Starting" } } })) > 0,
      20_000,
      "the hanging turn to stream",
    );
    await other.api.session.abort({ sessionId: session.id });
    await waitUntil(
      async () => (await db.turn.findFirst({ where: { sessionId: session.id }, orderBy: { index: "desc" } }))?.status === "aborted",
      20_000,
      "the turn to be marked aborted",
    );
  });

  it("hands the runner over on a clean stop mid-turn: the viewer on the other instance goes on with no gap, no duplicate, the runner's text", async () => {
    const leaving = instances.find(ownsRunner)!;
    const staying = instances.find((i) => !ownsRunner(i))!;
    const directory = runner.supervisor.directory;
    const session = await staying.api.session.create({ runnerId, directory });
    const viewer = new StreamViewer(chunks(staying, session.id), session.opencodeId);
    await staying.api.session.prompt({ sessionId: session.id, text: `Stream it slowly. ${marker("long", 3_000)}` });
    const watching = (async () => {
      while (!viewer.finished) await viewer.take(90_000);
    })();
    await waitUntil(() => viewer.seen.size > 50, 30_000, "the stream to be under way");
    const epoch = leaving.services.cluster!.leases.epochOf(runnerId)!;
    await leaving.services.stop();
    await waitUntil(() => ownsRunner(staying), 10_000, "the other instance to take the runner over");
    expect(staying.services.cluster!.leases.epochOf(runnerId)).toBe(epoch + 1);
    await watching;
    const endpoint = { url: runner.supervisor.instance!.url, credentials: runner.supervisor.credentials };
    expect(viewer.gaps).toBe(0);
    expect(viewer.duplicates).toBe(0);
    expect(assistantText(viewer.state, session.opencodeId)).toBe(await assistantTextAt(endpoint, directory, session.opencodeId));
  });
});
