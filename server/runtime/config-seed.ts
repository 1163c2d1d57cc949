import fs from "node:fs";
import path from "node:path";

/**
 * Fills a new runner's opencode config directory from `seed` (FLIGHTDECK_RUNNER_CONFIG_SEED).
 * opencode installs `@opencode-ai/plugin` into its config directory from the npm registry when
 * that directory has no `node_modules` yet: seconds of CPU, the network, and a process that
 * waits for the install before it exits. A seed where that install was done (its package.json,
 * lockfile and node_modules) makes the install find nothing to do. A directory that already has
 * its `node_modules` is left alone.
 */
export function seedConfigDir(seed: string | undefined, configDir: string): void {
  if (!seed || fs.existsSync(path.join(configDir, "node_modules"))) return;
  if (!fs.statSync(seed, { throwIfNoEntry: false })?.isDirectory()) {
    throw new Error(`FLIGHTDECK_RUNNER_CONFIG_SEED: ${seed} is not a directory`);
  }
  linkTree(seed, configDir);
}

/** Hard links where it can (a 64 MB seed in a tenth of a second), copies where it cannot (another file system). */
function linkTree(from: string, to: string): void {
  fs.mkdirSync(to, { recursive: true });
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (fs.existsSync(target)) continue;
    if (entry.isDirectory()) linkTree(source, target);
    else if (entry.isSymbolicLink()) fs.symlinkSync(fs.readlinkSync(source), target);
    else {
      try {
        fs.linkSync(source, target);
      } catch {
        fs.copyFileSync(source, target);
      }
    }
  }
}
