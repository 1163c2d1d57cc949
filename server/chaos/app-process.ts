/**
 * A Flightdeck app in its own process, so a chaos test can SIGKILL it: services with the
 * embedded runner (Demo model) on a PGlite data dir, plus the archive sync. It reports what it
 * does on stdout (see server/testing/child-report.ts). Run with `TSX_TSCONFIG_PATH=tsconfig.node.json node --import tsx`
 * (see tsconfig.node.json for why).
 *
 *   run     a long turn, a first sync, then a hanging turn (the test SIGKILLs the runner), the
 *           recovery, a turn the live path does not follow, and a sync that stops just before
 *           its commit (the test SIGKILLs this process there)
 *   resume  restart on the same data dir: the interrupted sync is recovered and completes
 */
import path from "node:path";
import { ArchiveService } from "~/server/archive/service";
import { RunnerSource } from "~/server/archive/runner-source";
import { syncTree } from "~/server/archive/sync";
import { createDb } from "~/server/db";
import { marker } from "~/server/model/markers";
import { createRunnerClient } from "~/server/runtime/client";
import { runnerAssistantText } from "~/server/testing/assistant-text";
import { createServices, type Services } from "~/server/services";
import { report, reportFailure } from "~/server/testing/child-report";
import { promptSession, createSession } from "~/server/sessions/commands";
import { waitUntil } from "~/server/runtime/test-helpers";

const dataDir = process.env.CHAOS_DATA_DIR!;
const mode = process.argv[2];
const quiet = { info: () => {}, warn: console.warn, error: console.error };

async function storedAssistantText(services: Services, sessionId: string): Promise<string> {
  const parts = await services.db.part.findMany({
    where: { sessionId, type: "text", message: { role: "assistant" } },
    orderBy: [{ message: { opencodeId: "asc" } }, { opencodeId: "asc" }],
    select: { text: true },
  });
  return parts.map((p) => p.text ?? "").join("");
}

async function main() {
  const database = await createDb({ pgliteDir: path.join(dataDir, "pglite") });
  const services = await createServices({ db: database.client, dataDir, embeddedRunner: true, stallMs: 60_000, deltaDelayMs: 0 });
  const archive = new ArchiveService(
    { db: services.db, runners: services.runners, bridges: services.bridges, changes: services.changes, log: quiet },
    { idleMs: 60_000, sweepMs: 0, retention: { everyMs: 0 } },
  );
  const runnerId = services.runners.embeddedRunnerId!;
  const directory = services.embedded!.supervisor.directory;
  report("ready", { runnerPid: services.embedded!.supervisor.instance!.pid });

  if (mode === "run") {
    const { id, opencodeId } = await createSession(services, { runnerId, directory });
    await promptSession(services, { sessionId: id, text: `Then wait. ${marker("hang")}` });
    await waitUntil(
      async () => (await services.db.part.count({ where: { sessionId: id, type: "text", text: { startsWith: "Starting" } } })) > 0,
      30_000,
      "the hanging turn to stream",
    );
    const killed = services.embedded!.supervisor.instance!;
    report("mid-turn", { sessionId: id, runnerPid: killed.pid, storedText: await storedAssistantText(services, id) });
    // The test SIGKILLs the runner now; the supervisor restarts it and the bridge marks the turn.
    await waitUntil(() => (services.embedded!.supervisor.instance?.instanceId ?? killed.instanceId) !== killed.instanceId, 60_000, "the runner to restart");
    await waitUntil(async () => (await services.db.turn.count({ where: { sessionId: id, status: "error" } })) === 1, 60_000, "the interrupted turn to be marked");
    report("runner-recovered", { runnerPid: services.embedded!.supervisor.instance!.pid, storedText: await storedAssistantText(services, id) });

    const first = await archive.syncSession(id);
    const synced = await services.db.session.findUniqueOrThrow({ where: { id }, select: { lastArchivedAt: true } });
    report("synced", { sessionId: id, opencodeId, version: first.version, lastArchivedAt: synced.lastArchivedAt?.toISOString() });

    // A turn this app does not follow live (as when it was down): only a sync can archive it.
    await services.bridges.closeAll();
    const link = (await services.runners.link(runnerId))!;
    await createRunnerClient(link.endpoint, { directory }).session.prompt(
      { sessionID: opencodeId, parts: [{ type: "text", text: `More. ${marker("long", 800)}` }] },
      { throwOnError: true },
    );
    report("unfollowed-turn", { storedText: (await storedAssistantText(services, id)).length });
    await syncTree(services.db, new RunnerSource(link.endpoint, directory), { runnerId, rootOpencodeId: opencodeId }, {
      hooks: {
        beforeCommit: async () => {
          report("in-commit");
          await new Promise(() => {}); // the test SIGKILLs this process here
        },
      },
    });
    report("error", { message: "the sync committed before the kill" });
  } else if (mode === "resume") {
    const root = await services.db.session.findFirstOrThrow({ where: { parents: { none: {} } }, orderBy: { createdAt: "asc" } });
    // Starting the archive service recovers the interrupted sync and re-runs it.
    await archive.start();
    await waitUntil(
      async () => (await services.db.session.findUniqueOrThrow({ where: { id: root.id } })).archiveState === "archived",
      120_000,
      "the recovery sync to complete",
    );
    const after = await services.db.session.findUniqueOrThrow({ where: { id: root.id } });
    report("resumed", {
      version: after.archiveVersion,
      storedText: await storedAssistantText(services, root.id),
      runnerText: await runnerAssistantText({ services, runnerId, directory: root.directory }, root.opencodeId),
    });
    await archive.stop();
  }
  await services.stop();
  await database.close();
  report("done");
}

main().catch(reportFailure);
