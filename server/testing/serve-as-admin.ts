import http from "node:http";
import type { AddressInfo } from "node:net";
import { createHTTPHandler } from "@trpc/server/adapters/standalone";
import { appRouter } from "~/server/api/root";
import { createInnerContext } from "~/server/api/trpc";
import type { Services } from "~/server/services";
import { teamMember } from "./team";

/**
 * Serves the real tRPC router at /api/trpc over HTTP (SSE subscriptions, as `next start` serves
 * them), every request acting as one admin, for app scripts a test runs as their own process.
 * On SIGTERM it closes its connections, stops the services, runs `onStop` (the database) and
 * exits 0. `port` 0 picks a free one; the port served on is returned.
 */
export async function serveAsAdmin(services: Services, options: { port: number; onStop: () => Promise<void> }): Promise<number> {
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
  await new Promise<void>((resolve) => server.listen(options.port, "127.0.0.1", resolve));
  process.once("SIGTERM", () => {
    server.closeAllConnections();
    server.close();
    void services
      .stop()
      .then(options.onStop)
      .then(() => process.exit(0));
  });
  return (server.address() as AddressInfo).port;
}
