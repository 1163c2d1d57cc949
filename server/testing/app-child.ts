import { spawn } from "node:child_process";
import path from "node:path";
import readline from "node:readline";
import { waitUntil } from "~/server/runtime/test-helpers";
import { REPORT_PREFIX } from "./child-report";

const root = path.resolve(__dirname, "../..");

export type Report = { event: string } & Record<string, unknown>;

/**
 * An app script (a path to a .ts file) as its own process, so a test can SIGKILL it, with its
 * reports (child-report.ts) as a queue to wait on. It keeps its files in `dataDir`
 * (FLIGHTDECK_DATA_DIR, and CHAOS_DATA_DIR for the chaos scripts) and opens PGlite there unless
 * `env` names a DATABASE_URL; `env` is added to this process's environment.
 */
export function startApp(script: string, args: string[], dataDir: string, env: Record<string, string> = {}) {
  const child = spawn(process.execPath, ["--import", "tsx", script, ...args], {
    cwd: root,
    env: {
      ...process.env,
      TSX_TSCONFIG_PATH: path.join(root, "tsconfig.node.json"),
      CHAOS_DATA_DIR: dataDir,
      FLIGHTDECK_DATA_DIR: dataDir,
      DATABASE_URL: "",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const reports: Report[] = [];
  const output: string[] = [];
  readline.createInterface({ input: child.stdout! }).on("line", (line) => {
    output.push(line);
    if (line.startsWith(REPORT_PREFIX)) reports.push(JSON.parse(line.slice(REPORT_PREFIX.length)) as Report);
  });
  readline.createInterface({ input: child.stderr! }).on("line", (line) => output.push(line));
  /** The last lines the app wrote (stdout and stderr), to say why a test failed. */
  const tail = (lines = 40) => output.slice(-lines).join("\n");
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.on("exit", (code, signal) => resolve(signal ?? code)));
  async function next(event: string, timeoutMs = 120_000): Promise<Report> {
    await waitUntil(
      () => reports.some((r) => r.event === event || r.event === "error"),
      timeoutMs,
      `the app to report ${event}`,
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n--- app output ---\n${tail()}`);
    });
    const found = reports.find((r) => r.event === event || r.event === "error")!;
    if (found.event === "error") throw new Error(`the app failed: ${found.message}\n${tail()}`);
    return found;
  }
  return { child, next, exited, tail };
}

export type AppChild = ReturnType<typeof startApp>;
