import fs from "node:fs";
import path from "node:path";
import { Worker } from "node:worker_threads";

const SQLITE_HEADER = Buffer.from("SQLite format 3\0", "latin1");

// Runs in a worker: `quick_check` reads the whole file (seconds for a large upload) and would
// block every request of the app meanwhile. Plain JS, since a worker loads no TypeScript.
const CHECK_IN_WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
const { createRequire } = require("node:module");
// Not finding the driver is the app's fault, not the file's: it fails the worker (an error).
const Database = loadFromApp("better-sqlite3");
function loadFromApp(name) {
  for (const base of workerData.resolveFrom) {
    try {
      return createRequire(base)(name);
    } catch {}
  }
  throw new Error("cannot load " + name + " from " + workerData.resolveFrom.join(", "));
}
let db;
try {
  db = new Database(workerData.file, { readonly: true, fileMustExist: true });
  // A crafted file's schema can name functions and views that run on read: trust none of it.
  db.pragma("trusted_schema = OFF");
  const problems = db.pragma("quick_check", { simple: false }).map((row) => row.quick_check).filter((r) => r !== "ok");
  if (problems.length > 0) {
    parentPort.postMessage({ problem: "the SQLite file is damaged (" + problems.slice(0, 3).join("; ") + ")" });
  } else {
    const tables = new Set(db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all().map((t) => t.name));
    const missing = ["session", "message", "part"].find((name) => !tables.has(name));
    parentPort.postMessage({ problem: missing ? 'it has no "' + missing + '" table' : undefined });
  }
} catch (error) {
  parentPort.postMessage({ problem: error instanceof Error ? error.message : String(error) });
} finally {
  if (db) db.close();
}
`;

/**
 * Why `file` cannot be read as an opencode database, or undefined when it can: not SQLite at all,
 * damaged (quick_check), or without opencode's tables.
 */
export async function opencodeDbProblem(file: string): Promise<string | undefined> {
  const header = Buffer.alloc(SQLITE_HEADER.length);
  const fd = await fs.promises.open(file, "r");
  let bytesRead: number;
  try {
    ({ bytesRead } = await fd.read(header, 0, header.length, 0));
  } finally {
    await fd.close();
  }
  // An empty file is an empty SQLite database (SQLite writes nothing until the first table).
  if (bytesRead > 0 && !header.equals(SQLITE_HEADER)) return "it is not a SQLite file";
  return new Promise((resolve, reject) => {
    // An eval'd worker resolves modules from the working directory only, and a bundled module
    // cannot say where it lives (Next turns require.resolve into a module id): the app is found
    // from where it runs, or from its entry point (next, tsx, vitest all live in the app).
    const resolveFrom = [path.join(process.cwd(), "index.js"), ...(process.argv[1] ? [path.resolve(process.argv[1])] : [])];
    const worker = new Worker(CHECK_IN_WORKER, { eval: true, workerData: { file, resolveFrom } });
    worker.once("message", (answer: { problem?: string }) => resolve(answer.problem));
    worker.once("error", reject);
    worker.once("exit", (code) => code !== 0 && reject(new Error(`the SQLite check stopped (exit code ${code})`)));
  });
}
