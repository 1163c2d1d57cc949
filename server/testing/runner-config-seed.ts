import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";

/**
 * The test suites' FLIGHTDECK_RUNNER_CONFIG_SEED (server/runtime/config-seed.ts): the
 * `@opencode-ai/plugin` install opencode makes in a new runner's config directory, done once per
 * machine and opencode version instead of once per runner the suites start (some hundred of them,
 * each some ten seconds of CPU and a stop delayed until it finished). Without npm or the registry
 * the suites run as before, and say so. Sets the variable for everything this process starts,
 * unless it is already set.
 */
export function applyRunnerConfigSeed(): void {
  const seed = process.env.FLIGHTDECK_RUNNER_CONFIG_SEED || prepareRunnerConfigSeed();
  if (seed) process.env.FLIGHTDECK_RUNNER_CONFIG_SEED = seed;
}

/** The seed directory for this machine and opencode version, installed on first use. */
function prepareRunnerConfigSeed(): string | undefined {
  const version = (createRequire(path.join(process.cwd(), "package.json"))("opencode-ai/package.json") as { version: string }).version;
  const seed = path.join(os.tmpdir(), "flightdeck-runner-config-seed", version);
  if (fs.existsSync(path.join(seed, "node_modules", "@opencode-ai", "plugin", "package.json"))) return seed;
  fs.mkdirSync(path.dirname(seed), { recursive: true });
  // Prepared beside it and renamed into place: a concurrent preparer never sees half an install.
  const work = fs.mkdtempSync(`${seed}.preparing-`);
  try {
    // The package.json opencode itself writes (an exact version, no prefix).
    fs.writeFileSync(path.join(work, "package.json"), JSON.stringify({ dependencies: { "@opencode-ai/plugin": version } }, null, 2));
    execFileSync("npm", ["install", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"], { cwd: work, stdio: "pipe", timeout: 180_000 });
    fs.renameSync(work, seed);
    return seed;
  } catch (error) {
    fs.rmSync(work, { recursive: true, force: true });
    if (fs.existsSync(path.join(seed, "node_modules"))) return seed;
    const why = error instanceof Error ? error.message.split("\n")[0] : String(error);
    console.warn(`\n[tests] could not install @opencode-ai/plugin ${version} for the runners' config (${why}): each runner installs it itself, slower\n`);
    return undefined;
  }
}
