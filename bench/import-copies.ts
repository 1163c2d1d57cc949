/**
 * Imports opencode.db files the way an operator does, `npm run import -- <file> --runner-name
 * NAME` (scripts/import.ts), one file after another, into the database an app will then serve:
 * PGlite in its data dir, or PostgreSQL by URL.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { appEnv } from "./next-app";

const root = path.resolve(__dirname, "..");

export type ImportTarget = { dataDir: string; databaseUrl: string | null };
export type ImportReport = { ms: number; trees: number; sessions: number };

function importFile(target: ImportTarget, file: string, runnerName: string): Promise<{ trees: number; sessions: number }> {
  const env = appEnv({ FLIGHTDECK_DATA_DIR: target.dataDir, LOG_LEVEL: "warn" });
  if (target.databaseUrl) env.DATABASE_URL = target.databaseUrl;
  const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "scripts", "import.ts"), file, "--runner-name", runnerName], {
    cwd: root,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", (code) => {
      const done = /Imported (\d+) session tree\(s\), (\d+) session\(s\)/.exec(stdout);
      if (code === 0 && done) resolve({ trees: Number(done[1]), sessions: Number(done[2]) });
      else reject(new Error(`npm run import -- ${path.basename(file)} exited ${code}: ${(stderr || stdout).trim().split("\n").slice(-5).join(" | ")}`));
    });
  });
}

/** Each file under its own runner (`runnerName(i)`), one after another; the time of them all. */
export async function importCopies(target: ImportTarget, files: string[], runnerName: (file: number) => string, log: (line: string) => void): Promise<ImportReport> {
  const started = performance.now();
  const report: ImportReport = { ms: 0, trees: 0, sessions: 0 };
  for (const [i, file] of files.entries()) {
    const t = performance.now();
    const done = await importFile(target, file, runnerName(i));
    report.trees += done.trees;
    report.sessions += done.sessions;
    log(`${path.basename(file)}: ${done.trees} trees in ${Math.round((performance.now() - t) / 1000)} s`);
  }
  report.ms = performance.now() - started;
  return report;
}
