/**
 * A Flightdeck app in its own process serving the real tRPC router over HTTP (SSE
 * subscriptions, as /api/trpc serves them under `next start`), so a chaos test can SIGKILL it
 * mid-stream and start it again on the same PGlite data dir. Every request acts as a test admin.
 *
 * It follows a runner the test started (CHAOS_RUNNER_URL, CHAOS_RUNNER_USERNAME,
 * CHAOS_RUNNER_PASSWORD), not an embedded one: an embedded runner dies with its app, and its
 * turn with it, while this one streams on while the app is down, so there is a tail to resume.
 * Serves on CHAOS_PORT (a restart keeps the address its clients know) or else on a free port;
 * reports what it does on stdout (see server/testing/child-report.ts), the port with `ready`.
 */
import path from "node:path";
import { createDb } from "~/server/db";
import { createServices } from "~/server/services";
import { report, reportFailure } from "~/server/testing/child-report";
import { serveAsAdmin } from "~/server/testing/serve-as-admin";

const dataDir = process.env.CHAOS_DATA_DIR!;
const RUNNER_NAME = "chaos-runner";

async function main() {
  const database = await createDb({ pgliteDir: path.join(dataDir, "pglite") });
  const services = await createServices({ db: database.client, dataDir, embeddedRunner: false, stallMs: 60_000 });
  // Added on the first start; a restart finds it in the database, as a real app would.
  const known = await services.db.runner.findFirst({ where: { name: RUNNER_NAME }, select: { id: true } });
  const runner =
    known ??
    (await services.runners.addRemote({
      name: RUNNER_NAME,
      url: process.env.CHAOS_RUNNER_URL!,
      username: process.env.CHAOS_RUNNER_USERNAME,
      password: process.env.CHAOS_RUNNER_PASSWORD,
    }));
  const port = await serveAsAdmin(services, { port: Number(process.env.CHAOS_PORT ?? 0), onStop: () => database.close() });
  report("ready", { runnerId: runner.id, port });
}

main().catch(reportFailure);
