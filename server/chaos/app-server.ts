/**
 * A Flightdeck app in its own process serving the real tRPC router over HTTP (SSE
 * subscriptions, as /api/trpc serves them under `next start`), so a chaos test can SIGKILL it
 * mid-stream and start it again on the same PGlite data dir. Every request acts as a test admin.
 *
 * It follows a runner the test started (CHAOS_RUNNER_URL, CHAOS_RUNNER_USERNAME,
 * CHAOS_RUNNER_PASSWORD), not an embedded one: an embedded runner dies with its app, and its
 * turn with it, while this one streams on while the app is down, so there is a tail to resume.
 * Serves on CHAOS_PORT (a restart keeps the address its clients know) or else on a free port;
 * reports `CHAOS {json}` lines on stdout (see app-child.ts), the port with `ready`.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { createHTTPHandler } from "@trpc/server/adapters/standalone";
import { appRouter } from "~/server/api/root";
import { createInnerContext } from "~/server/api/trpc";
import { createDb } from "~/server/db";
import { createServices } from "~/server/services";
import { teamMember } from "~/server/testing/team";

const dataDir = process.env.CHAOS_DATA_DIR!;
const report = (event: string, data: Record<string, unknown> = {}) => console.log(`CHAOS ${JSON.stringify({ event, ...data })}`);
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
  const admin = await teamMember(services.db, "admin");
  const trpc = createHTTPHandler({
    router: appRouter,
    createContext: () => createInnerContext({ caller: admin, services: async () => services }),
  });
  const server = http.createServer((req, res) => {
    if (!req.url?.startsWith("/api/trpc/")) return void res.writeHead(404).end();
    req.url = req.url.slice("/api/trpc".length);
    trpc(req, res);
  });
  await new Promise<void>((resolve) => server.listen(Number(process.env.CHAOS_PORT ?? 0), "127.0.0.1", resolve));
  report("ready", { runnerId: runner.id, port: (server.address() as AddressInfo).port });

  process.once("SIGTERM", () => {
    server.closeAllConnections();
    server.close();
    void services
      .stop()
      .then(() => database.close())
      .then(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  report("error", { message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  process.exit(1);
});
