import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { seedConfigDir } from "./config-seed";

const made: string[] = [];
const scratch = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "flightdeck-seed-"));
  made.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A seed as an install leaves it: package.json, a lockfile, a package with a bin link. */
function installedSeed(): string {
  const seed = scratch();
  fs.writeFileSync(path.join(seed, "package.json"), '{"dependencies":{"@opencode-ai/plugin":"1.0.0"}}');
  fs.writeFileSync(path.join(seed, "package-lock.json"), "{}");
  const pkg = path.join(seed, "node_modules", "@opencode-ai", "plugin");
  fs.mkdirSync(pkg, { recursive: true });
  fs.writeFileSync(path.join(pkg, "package.json"), '{"name":"@opencode-ai/plugin","version":"1.0.0"}');
  fs.mkdirSync(path.join(seed, "node_modules", ".bin"));
  fs.symlinkSync("../@opencode-ai/plugin/package.json", path.join(seed, "node_modules", ".bin", "plugin"));
  return seed;
}

describe("seedConfigDir", () => {
  it("gives a new config directory the seed's install, bin links included", () => {
    const seed = installedSeed();
    const config = path.join(scratch(), "xdg", "config", "opencode");
    seedConfigDir(seed, config);
    expect(JSON.parse(fs.readFileSync(path.join(config, "node_modules", "@opencode-ai", "plugin", "package.json"), "utf8")).version).toBe("1.0.0");
    expect(fs.readFileSync(path.join(config, "package-lock.json"), "utf8")).toBe("{}");
    expect(fs.readlinkSync(path.join(config, "node_modules", ".bin", "plugin"))).toBe("../@opencode-ai/plugin/package.json");
  });

  it("leaves a directory that has its own install as it is", () => {
    const seed = installedSeed();
    const config = scratch();
    fs.mkdirSync(path.join(config, "node_modules"));
    fs.writeFileSync(path.join(config, "package.json"), "mine");
    seedConfigDir(seed, config);
    expect(fs.readFileSync(path.join(config, "package.json"), "utf8")).toBe("mine");
    expect(fs.readdirSync(path.join(config, "node_modules"))).toEqual([]);
  });

  it("does nothing without a seed, and names a seed that is not a directory", () => {
    const config = path.join(scratch(), "opencode");
    seedConfigDir(undefined, config);
    expect(fs.existsSync(config)).toBe(false);
    const missing = path.join(scratch(), "nowhere");
    expect(() => seedConfigDir(missing, config)).toThrow(`FLIGHTDECK_RUNNER_CONFIG_SEED: ${missing} is not a directory`);
  });
});
