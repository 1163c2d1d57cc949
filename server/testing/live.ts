import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createCaller } from "~/server/api/root";
import { createInnerContext } from "~/server/api/trpc";
import type { ArchiveConfig } from "~/server/archive/service";
import type { PrismaClient } from "~/server/generated/prisma/client";
import { createServices, type ServiceOptions, type Services } from "~/server/services";
import { teamMember } from "~/server/testing/team";
import { waitUntil } from "~/server/runtime/test-helpers";
import type { SessionEvent } from "~/server/stream";
import type { SessionChunk } from "./stream-viewer";

export { waitUntil };

/**
 * The whole live path for a test: a real embedded runner with the Demo model, bridges, store
 * and hub on the given database, and a tRPC caller acting as the local admin.
 */
export async function startLive(
  db: PrismaClient,
  options: Pick<ServiceOptions, "stallMs" | "streamBuffer" | "deltaDelayMs" | "bridgeIdleMs" | "archive" | "log"> = {},
) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "flightdeck-live-"));
  const services = await createServices({ db, dataDir, stallMs: options.stallMs ?? 60_000,
    streamBuffer: options.streamBuffer,
    bridgeIdleMs: options.bridgeIdleMs,
    archive: options.archive,
    log: options.log,
    embeddedRunner: true,
    deltaDelayMs: options.deltaDelayMs ?? 0,
  });
  const context = createInnerContext({ caller: await teamMember(services.db, "admin"), services: async () => services });
  const api = createCaller(context);
  const runnerId = services.runners.embeddedRunnerId!;
  const directory = services.embedded!.supervisor.directory;
  return {
    services,
    api,
    /** A caller whose subscriptions end when `signal` aborts (tRPC takes it per caller). */
    apiUntil: (signal: AbortSignal) => createCaller(context, { signal }),
    runnerId,
    directory,
    async stop() {
      await services.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export type Live = Awaited<ReturnType<typeof startLive>>;

/** Waits until the session's whole tree is idle in the archive after at least one turn. */
export async function waitForIdleTree(services: Services, sessionId: string, timeoutMs = 60_000) {
  const tree = async () => {
    const row = await services.db.session.findUniqueOrThrow({ where: { id: sessionId }, select: { rootId: true } });
    return services.db.session.findMany({
      where: { rootId: row.rootId },
      select: { opencodeId: true, status: true, _count: { select: { turns: true, parts: true } } },
    });
  };
  try {
    await waitUntil(
      async () => (await tree()).every((s) => s.status === "idle" && s._count.turns > 0),
      timeoutMs,
      `session ${sessionId} to finish`,
    );
  } catch (error) {
    // Say where the tree stands, so a timeout on a loaded machine can be told from a lost event.
    const where = (await tree()).map((s) => `${s.opencodeId}: ${s.status}, ${s._count.turns} turns, ${s._count.parts} parts`);
    throw new Error(`${error instanceof Error ? error.message : error} (archive: ${where.join("; ")})`);
  }
}

/**
 * The `session.events` subscription as a browser sees it: messages ({ id, data }), each a chunk
 * of consecutive events whose id is the last one's seq. The server-side caller yields tRPC's raw
 * tracked envelopes ([id, data, marker]).
 */
export async function* sessionChunks(
  live: Live,
  sessionId: string,
  lastEventId: string | null,
  signal: AbortSignal,
): AsyncGenerator<SessionChunk> {
  const stream = await live.apiUntil(signal).session.events({ sessionId, lastEventId });
  for await (const envelope of stream) {
    const [id, data] = envelope as unknown as [string, readonly SessionEvent[]];
    yield { id, data };
  }
}

/** Every event of `session.events`, one at a time. */
export async function* sessionEvents(
  live: Live,
  sessionId: string,
  lastEventId: string | null,
  signal: AbortSignal,
): AsyncGenerator<SessionEvent> {
  for await (const { data } of sessionChunks(live, sessionId, lastEventId, signal)) yield* data;
}
