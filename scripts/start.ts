/**
 * `npm start`: build when the sources changed since the last build, migrate, then serve
 * (scripts/serve.mjs).
 * Migrations run here, in this process, before Next starts, because embedded PGlite allows one
 * process at a time.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { buildStamp } from "./build-stamp";
import { config } from "~/server/config";
import { closeDb, getDb } from "~/server/db";
import { startScriptedModel } from "~/server/model";

const root = path.resolve(__dirname, "..");
const stampFile = path.join(root, ".next", "flightdeck-build-stamp");
const nextBin = path.join(root, "node_modules", "next", "dist", "bin", "next");

function buildIfNeeded() {
  const stamp = buildStamp(root);
  const built = existsSync(path.join(root, ".next", "BUILD_ID")) && existsSync(stampFile)
    && readFileSync(stampFile, "utf8") === stamp;
  if (built) return;
  console.log("[flightdeck] sources changed since the last build: running next build…");
  const result = spawnSync(process.execPath, [nextBin, "build"], { cwd: root, stdio: "inherit" });
  if (result.status !== 0) {
    console.error("[flightdeck] next build failed; see the output above.");
    process.exit(result.status ?? 1);
  }
  writeFileSync(stampFile, stamp);
}

async function main() {
  const cfg = config();
  buildIfNeeded();
  console.log("[flightdeck] applying database migrations…");
  await getDb();
  await closeDb();
  const host = cfg.HOST;
  // This process only waits for the server from here on: the Demo model's streams are written
  // here, not on the app's event loop (a 16 MB answer is a 16 MB JSON.stringify).
  const model = cfg.FLIGHTDECK_EMBEDDED_RUNNER && !cfg.FLIGHTDECK_DEMO_MODEL_URL ? await startScriptedModel({ deltaDelayMs: cfg.FLIGHTDECK_DEMO_DELTA_MS }) : undefined;
  console.log(`[flightdeck] serving on http://${host}:${cfg.PORT} (data dir ${cfg.dataDir})`);
  // Next's handler behind the app's subscription server (scripts/serve.mjs), not `next start`.
  const server = spawn(process.execPath, [path.join(root, "scripts", "serve.mjs"), String(cfg.PORT), host], {
    cwd: root,
    stdio: "inherit",
    env: model ? { ...process.env, FLIGHTDECK_DEMO_MODEL_URL: model.url } : process.env,
  });
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => server.kill(signal));
  server.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

main().catch((error) => {
  console.error(`[flightdeck] failed to start: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
