/**
 * Restores the lockfile entries of other platforms' optional binaries (e.g. opencode-darwin-arm64,
 * @next/swc-win32-x64-msvc). A registry mirror that only carries this machine's platform makes
 * npm drop them, and `npm ci` then refuses the lockfile as out of sync. Each restored entry says
 * which os/cpu/libc it is for, so npm skips it here and fetches it by version elsewhere.
 * Idempotent. Run after `npm install`: `npm run lockfile:platforms`.
 */
import { readFileSync, writeFileSync } from "node:fs";

const file = new URL("../package-lock.json", import.meta.url);

const OS = { darwin: "darwin", win32: "win32", windows: "win32", linux: "linux", android: "android", freebsd: "freebsd" };
const CPU = { arm64: "arm64", x64: "x64", "x86_64": "x64", arm: "arm", ia32: "ia32", wasm32: "wasm32" };

/** The platform a binary package is for, read from its name (the convention all of them use). */
export function platformOf(name) {
  const words = name.split("/").pop().split("-");
  const entry = {};
  const os = words.map((w) => OS[w]).find(Boolean);
  const cpu = words.map((w) => CPU[w]).find(Boolean);
  if (os) entry.os = [os];
  if (cpu) entry.cpu = [cpu];
  if (words.includes("musl")) entry.libc = ["musl"];
  else if (words.includes("gnu") || words.includes("gnueabihf")) entry.libc = ["glibc"];
  return entry;
}

/** Optional dependencies the lockfile names but has no entry for. */
export function missingOptionals(lock) {
  const missing = [];
  for (const [path, pkg] of Object.entries(lock.packages)) {
    for (const [name, range] of Object.entries(pkg.optionalDependencies ?? {})) {
      const nested = `${path ? `${path}/` : ""}node_modules/${name}`;
      if (!lock.packages[nested] && !lock.packages[`node_modules/${name}`]) {
        missing.push({ key: `node_modules/${name}`, name, version: range.replace(/^[\^~=]/, "") });
      }
    }
  }
  return missing;
}

export function restore(lock) {
  const missing = missingOptionals(lock);
  for (const { key, version, name } of missing) lock.packages[key] = { version, optional: true, ...platformOf(name) };
  // npm keeps packages sorted by path; keep the file stable.
  lock.packages = Object.fromEntries(Object.entries(lock.packages).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a.localeCompare(b))));
  return missing.length;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const lock = JSON.parse(readFileSync(file, "utf8"));
  const added = restore(lock);
  writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
  console.log(added ? `package-lock.json: restored ${added} optional platform entries` : "package-lock.json: complete");
}
