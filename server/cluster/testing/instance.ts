/**
 * One Flightdeck instance of a test cluster, as its own process so a test can SIGKILL it: the
 * services on the PostgreSQL database of DATABASE_URL (migrated by the harness, shared by every
 * instance), with no embedded runner and no runner of its own (the harness adds one through an
 * instance, as an admin would), serving the real tRPC router over HTTP/SSE as a test admin.
 * REDIS_URL, FLIGHTDECK_REDIS_PREFIX and FLIGHTDECK_INSTANCE_ID make it one of several
 * (server/services.ts reads them); without REDIS_URL it is the single-process app.
 *
 * Reports `ready` with its port and instance id (see server/testing/child-report.ts).
 */
import { config } from "~/server/config";
import { createDb, dbLocationFromConfig } from "~/server/db";
import { createServices } from "~/server/services";
import { report, reportFailure } from "~/server/testing/child-report";
import { serveAsAdmin } from "~/server/testing/serve-as-admin";

async function main() {
  const cfg = config();
  if (!cfg.DATABASE_URL) throw new Error("a cluster instance needs DATABASE_URL (PostgreSQL)");
  // The harness migrated the database before starting any instance.
  const database = await createDb(dbLocationFromConfig(cfg), { migrate: false });
  const services = await createServices({ db: database.client, dataDir: cfg.dataDir, embeddedRunner: false, stallMs: 60_000 });
  const port = await serveAsAdmin(services, { port: 0, onStop: () => database.close() });
  report("ready", { port, instanceId: process.env.FLIGHTDECK_INSTANCE_ID });
}

main().catch(reportFailure);
