import path from "node:path";
import type { Config } from "@opencode-ai/sdk/v2/types";
import type { Env } from "./env";
import type { RunnerCredentials } from "./health";

export type RunnerPaths = {
  /** Everything the runner writes lives under here. */
  dataDir: string;
  home: string;
  xdg: { data: string; config: string; cache: string; state: string };
  /** opencode's SQLite store (sessions, messages, parts, events). */
  database: string;
  pidFile: string;
};

export function runnerPaths(dataDir: string): RunnerPaths {
  const xdg = path.join(dataDir, "xdg");
  return {
    dataDir,
    home: path.join(dataDir, "home"),
    xdg: {
      data: path.join(xdg, "data"),
      config: path.join(xdg, "config"),
      cache: path.join(xdg, "cache"),
      state: path.join(xdg, "state"),
    },
    database: path.join(xdg, "data", "opencode", "opencode.db"),
    pidFile: path.join(dataDir, "opencode.pid"),
  };
}

// The agent runs arbitrary shell commands with this environment, so the app's own secrets
// (database URL, auth secrets) must not reach it: pass only what tools and model providers need.
const PASS_NAMES = new Set([
  "PATH", "LANG", "LANGUAGE", "TZ", "TERM", "SHELL", "USER", "LOGNAME", "TMPDIR",
  "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy",
  "NODE_EXTRA_CA_CERTS", "SSL_CERT_FILE", "SSL_CERT_DIR",
]);
const PASS_PREFIXES = ["LC_", "AWS_", "AZURE_", "GOOGLE_", "VERTEX_"];

function passesThrough(name: string): boolean {
  return PASS_NAMES.has(name) || name.endsWith("_API_KEY") || PASS_PREFIXES.some((p) => name.startsWith(p));
}

export function runnerEnv(
  base: Env,
  paths: RunnerPaths,
  credentials: RunnerCredentials,
  config: Config,
): Env {
  const inherited = Object.fromEntries(Object.entries(base).filter(([k]) => passesThrough(k)));
  return {
    ...inherited,
    HOME: paths.home,
    XDG_DATA_HOME: paths.xdg.data,
    XDG_CONFIG_HOME: paths.xdg.config,
    XDG_CACHE_HOME: paths.xdg.cache,
    XDG_STATE_HOME: paths.xdg.state,
    OPENCODE_DISABLE_MODELS_FETCH: "1",
    OPENCODE_DISABLE_AUTOUPDATE: "1",
    OPENCODE_DISABLE_SHARE: "1",
    OPENCODE_DISABLE_LSP_DOWNLOAD: "1",
    OPENCODE_SERVER_USERNAME: credentials.username,
    OPENCODE_SERVER_PASSWORD: credentials.password,
    OPENCODE_CONFIG_CONTENT: JSON.stringify(config),
  };
}
