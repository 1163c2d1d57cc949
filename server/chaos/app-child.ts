import { spawn } from "node:child_process";
import path from "node:path";
import readline from "node:readline";
import { waitUntil } from "~/server/runtime/test-helpers";

const root = path.resolve(__dirname, "../..");

export type Report = { event: string } & Record<string, unknown>;

/**
 * One of this folder's app scripts as its own process, so a test can SIGKILL it, with its
 * `CHAOS {json}` reports as a queue to wait on. `env` is added to this process's environment.
 */
export function startApp(script: "app-process.ts" | "app-server.ts", args: string[], dataDir: string, env: Record<string, string> = {}) {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(__dirname, script), ...args], {
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
    if (line.startsWith("CHAOS ")) reports.push(JSON.parse(line.slice(6)) as Report);
  });
  readline.createInterface({ input: child.stderr! }).on("line", (line) => output.push(line));
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.on("exit", (code, signal) => resolve(signal ?? code)));
  async function next(event: string, timeoutMs = 120_000): Promise<Report> {
    await waitUntil(
      () => reports.some((r) => r.event === event || r.event === "error"),
      timeoutMs,
      `the app to report ${event}`,
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n--- app output ---\n${output.slice(-40).join("\n")}`);
    });
    const found = reports.find((r) => r.event === event || r.event === "error")!;
    if (found.event === "error") throw new Error(`the app failed: ${found.message}\n${output.slice(-40).join("\n")}`);
    return found;
  }
  return { child, next, exited };
}
