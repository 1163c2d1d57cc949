/**
 * The app under benchmark, in its own process so its RSS and CPU are its own: the services
 * (embedded runner with the Demo model, bridges, store, hub) on a fresh database, the real
 * tRPC router served over HTTP (SSE subscriptions, as /api/trpc serves them under `next start`),
 * and a few /bench/* endpoints for the runner's address and this process's resource use.
 * Run by bench/run.ts with TSX_TSCONFIG_PATH=tsconfig.node.json.
 */
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { createHTTPHandler } from "@trpc/server/adapters/standalone";
import { appRouter } from "~/server/api/root";
import { createInnerContext } from "~/server/api/trpc";
import { createDb } from "~/server/db";
import { transformer } from "~/server/api/transformer";
import { createServices } from "~/server/services";
import { teamMember } from "~/server/testing/team";
import { loadSnapshot } from "~/server/store/snapshot";
import { processCpuSeconds } from "./proc";

async function main() {
  const port = Number(process.env.BENCH_PORT ?? 3332);
  // Kept when the bench passes its own (the archived view reads it after this process ends).
  const ownDir = !process.env.BENCH_DATA_DIR;
  const dataDir = process.env.BENCH_DATA_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), "flightdeck-bench-"));
  const database = await createDb(process.env.BENCH_DATABASE_URL ? { url: process.env.BENCH_DATABASE_URL } : { pgliteDir: path.join(dataDir, "pglite") });
  const services = await createServices({ db: database.client, dataDir, embeddedRunner: true, deltaDelayMs: 0, stallMs: 600_000 });
  const benchUser = await teamMember(services.db, "admin", "Bench");
  const trpc = createHTTPHandler({
    router: appRouter,
    // The bench drives the API as one signed-in admin (accounts are not what it measures).
    createContext: () => createInnerContext({ caller: benchUser, services: async () => services }),
  });
  const server = http.createServer(async (req, res) => {
    if (req.url === "/bench/info" || req.url === "/bench/info?settled") {
      // Memory readings compare like with like: garbage collected first (node --expose-gc).
      if (req.url.endsWith("?settled")) (globalThis as { gc?: () => void }).gc?.();
      const link = await services.runners.link(services.runners.embeddedRunnerId!);
      const runnerPid = services.embedded!.supervisor.instance!.pid;
      const body = {
        runnerId: services.runners.embeddedRunnerId,
        directory: services.embedded!.supervisor.directory,
        endpoint: link!.endpoint,
        rss: process.memoryUsage().rss,
        cpuSeconds: processCpuSeconds(process.pid),
        runnerCpuSeconds: processCpuSeconds(runnerPid),
        runnerRss: fs.readFileSync(`/proc/${runnerPid}/status`, "utf8").match(/VmRSS:\s+(\d+)/)?.[1],
      };
      return void res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
    }
    const url = new URL(req.url ?? "/", "http://bench");
    if (url.pathname === "/bench/tree") {
      // The tree as the archive has it: parts stored and whether every session is idle.
      const id = url.searchParams.get("sessionId")!;
      const row = await services.db.session.findUniqueOrThrow({ where: { id }, select: { rootId: true, directory: true, runnerId: true } });
      await services.bridges.find(row.runnerId, row.directory)?.settle();
      const tree = await services.db.session.findMany({ where: { rootId: row.rootId ?? id }, select: { status: true, _count: { select: { turns: true } } } });
      const parts = await services.db.part.count({ where: { session: { rootId: row.rootId ?? id } } });
      const idle = tree.every((s) => s.status === "idle" && s._count.turns > 0);
      return void res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ parts, idle }));
    }
    if (url.pathname === "/bench/render") {
      // What a viewer of the session gets first: the materialized tree, serialized as tRPC sends it.
      const id = url.searchParams.get("sessionId")!;
      const started = performance.now();
      const snapshot = await loadSnapshot(services.db, id);
      const bytes = Buffer.byteLength(JSON.stringify(transformer.output.serialize([snapshot])));
      const ms = performance.now() - started;
      return void res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ ms, bytes }));
    }
    if (req.url?.startsWith("/api/trpc/")) {
      req.url = req.url.slice("/api/trpc".length);
      return void trpc(req, res);
    }
    res.writeHead(404).end();
  });
  server.keepAliveTimeout = 0;
  server.maxConnections = 10_000;
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  console.log(`BENCH-SERVER ready ${port}`);
  const stop = async () => {
    setTimeout(() => process.exit(0), 10_000).unref();
    server.closeAllConnections();
    server.close();
    await services.stop();
    await database.close();
    if (ownDir) fs.rmSync(dataDir, { recursive: true, force: true });
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop());
  process.on("SIGINT", () => void stop());
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
