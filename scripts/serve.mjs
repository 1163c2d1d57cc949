/**
 * The production server `npm start` runs (scripts/start.ts spawns it once the build and the
 * migrations are done): Next's own request handler, behind a plain Node HTTP server that first
 * offers each request to the app's subscription server (server/api/sse-subscriptions.ts), so
 * live streams skip Next's per-response plumbing. Everything else, and any subscription that
 * declines, is Next's as under `next start`.
 *   node scripts/serve.mjs <port> <host>
 */
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import next from "next";
import { setClientAddress } from "./client-address.mjs";

process.env.NODE_ENV = "production";
const [port, hostname] = [Number(process.argv[2]), process.argv[3]];
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
process.title = "flightdeck-server";
const trustProxy = process.env.FLIGHTDECK_TRUST_PROXY === "1";

const app = next({ dev: false, dir: root, hostname, port });
const handle = app.getRequestHandler();
await app.prepare();

// Put there by server/boot.ts when Next ran the app's instrumentation (see SUBSCRIPTION_HOOK).
const serveSubscription = () => globalThis.flightdeckServeSubscription;

const server = http.createServer(async (req, res) => {
  try {
    setClientAddress(req, trustProxy);
    const serve = req.url?.startsWith("/api/trpc/") ? serveSubscription() : undefined;
    if (serve && (await serve(req, res))) return;
    await handle(req, res);
  } catch (error) {
    console.error("[flightdeck] request failed", error);
    if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain; charset=utf-8" });
    res.end("Internal server error");
  }
});
server.listen(port, hostname, () => console.log(`[flightdeck] ready on http://${hostname}:${port}`));
