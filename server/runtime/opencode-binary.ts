import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { type Env, loadRuntimeEnv } from "./env";

// Resolved from the app root rather than this file: bundlers (Next) move compiled server code
// around, but the process always runs from the app folder that holds node_modules.
function appRequire() {
  return createRequire(path.join(process.cwd(), "package.json"));
}

function platformPackages(): string[] {
  const platform = process.platform === "win32" ? "windows" : process.platform;
  const base = `opencode-${platform}-${process.arch}`;
  return [base, `${base}-baseline`, `${base}-musl`, `${base}-baseline-musl`];
}

/**
 * The real opencode executable. The platform package's binary comes first: `opencode-ai`'s own
 * bin is a Node launcher until its postinstall swaps it, and a launcher in between would keep
 * signals from reaching the server.
 */
export function resolveOpencodeBinary(env: Env = process.env): string {
  const override = loadRuntimeEnv(env).FLIGHTDECK_OPENCODE_BIN;
  if (override) return override;
  const require = appRequire();
  const pkgJson = require.resolve("opencode-ai/package.json");
  const exe = process.platform === "win32" ? "opencode.exe" : "opencode";
  for (const name of platformPackages()) {
    try {
      const dir = path.dirname(require.resolve(`${name}/package.json`, { paths: [path.dirname(pkgJson)] }));
      const candidate = path.join(dir, "bin", exe);
      if (fs.existsSync(candidate)) return candidate;
    } catch {
      // not installed for this platform variant; try the next one
    }
  }
  const pkg = JSON.parse(fs.readFileSync(pkgJson, "utf8")) as { bin: string | Record<string, string> };
  const bin = typeof pkg.bin === "string" ? pkg.bin : pkg.bin.opencode;
  if (!bin) throw new Error("opencode-ai declares no opencode binary");
  return path.join(path.dirname(pkgJson), bin);
}
